import { negotiateLanguage } from './error-language';
import { localizeError, templatePattern, translateMessage } from './error-messages';

describe('negotiateLanguage (Accept-Language)', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['de', 'de'],
    ['es', 'es'],
    ['DE-de', 'de'],
    ['es-419', 'es'],
    ['fr', 'en'],
    ['*', 'en'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['fr;q=0.9, es;q=0.8', 'es'],
    ['de;q=0.5, es;q=0.7', 'es'],
    ['es;q=0, de;q=0.1', 'de'],
    ['de;q=0', 'en'],
    ['de, es', 'de'],
    ['es;q=0.8, de;q=0.8', 'es'],
    ['fr, *;q=0.5, de;q=0.4', 'en'],
    ['de;q=2, es;q=0.1', 'es'],
    ['de;level=1, es;q=0.5', 'es'],
    ['  es ;  q = 0.5 ', 'es'],
  ])('%j → %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it('reads a header sent several times as one list', () => {
    expect(negotiateLanguage(['fr', 'es;q=0.5'])).toBe('es');
  });

  it('reads at most 32 ranges of a long header', () => {
    expect(negotiateLanguage(`${Array(40).fill('fr').join(',')},de`)).toBe('en');
  });
});

describe('translateMessage', () => {
  it('translates a message without placeholders', () => {
    expect(translateMessage('The email or the password is wrong', 'de')).toBe('E-Mail-Adresse oder Passwort ist falsch');
    expect(translateMessage('The email or the password is wrong', 'es')).toBe('El correo electrónico o la contraseña no son correctos');
  });

  it('leaves English and unknown messages alone', () => {
    expect(translateMessage('The email or the password is wrong', 'en')).toBe('The email or the password is wrong');
    expect(translateMessage('A message no catalogue has', 'de')).toBeUndefined();
  });

  it('fills a template with the values the server wrote', () => {
    expect(translateMessage('Too many attempts. Please try again in 15 minutes.', 'de')).toBe(
      'Zu viele Versuche. Bitte versuchen Sie es in 15 Minuten erneut.',
    );
    expect(translateMessage('Too many attempts. Please try again in 1 second.', 'es')).toBe('Demasiados intentos. Vuelve a intentarlo dentro de 1 segundo.');
    expect(translateMessage('Unknown asset DOGE2', 'es')).toBe('Activo desconocido: DOGE2');
    expect(translateMessage('The smallest BTC withdrawal is 0.0005 BTC', 'de')).toBe('Die kleinste BTC-Auszahlung beträgt 0.0005 BTC');
  });

  it('prefers the template with the most fixed text', () => {
    // Both 'That number is too large (at most {max})' and '… (at most {digits} digits before the point)' match.
    expect(translateMessage('That number is too large (at most 20 digits before the point)', 'de')).toBe(
      'Diese Zahl ist zu groß (höchstens 20 Stellen vor dem Komma)',
    );
    expect(translateMessage('userHandle must be base64url', 'es')).toBe('userHandle debe estar en base64url');
    expect(translateMessage('id must be a UUID', 'es')).toBe('id debe ser un UUID');
  });

  it('needs a repeated placeholder to repeat its value', () => {
    expect(templatePattern('The smallest {asset} withdrawal is {minimum} {asset}').test('The smallest BTC withdrawal is 1 ETH')).toBe(false);
    expect(translateMessage('The smallest BTC withdrawal is 1 ETH', 'de')).toBeUndefined();
  });

  it('translates words the server puts in (labels, states), by placeholder where the language needs it', () => {
    expect(translateMessage('Enter an amount in USD, like 12.50', 'de')).toBe('Geben Sie einen Betrag in USD ein, z. B. 12.50');
    expect(translateMessage('Enter a limit price for a limit order', 'es')).toBe('Introduce un precio límite para una orden limitada');
    // A withdrawal is feminine, an adjustment masculine in Spanish.
    expect(translateMessage('The withdrawal is approved; it cannot be cancelled', 'es')).toBe('La retirada está aprobada; no se puede cancelar');
    expect(translateMessage('The adjustment is rejected; only pending adjustments can be approved', 'es')).toBe(
      'El ajuste está rechazado; solo se pueden aprobar ajustes pendientes',
    );
    expect(translateMessage('The withdrawal is approved; it cannot be cancelled', 'de')).toBe('Die Auszahlung ist genehmigt; sie kann nicht storniert werden');
  });

  it('leaves a message English rather than mixed when a word in it has no translation', () => {
    expect(translateMessage('The withdrawal is vanished; it cannot be cancelled', 'de')).toBeUndefined();
  });

  it('keeps the values of a list in words, and translates its "or"', () => {
    expect(translateMessage('Choose buy or sell', 'de')).toBe('Wählen Sie buy oder sell');
    expect(translateMessage('Choose a currency to pay with: btc, eth, usdt, usdc, ltc, bnb or sol', 'es')).toBe(
      'Elige una moneda para pagar: btc, eth, usdt, usdc, ltc, bnb o sol',
    );
  });

  it('writes grouped numbers and dates the language’s way, and leaves other values as written', () => {
    expect(translateMessage('That number is too large (at most 100,000,000,000,000)', 'de')).toBe('Diese Zahl ist zu groß (höchstens 100.000.000.000.000)');
    expect(translateMessage('That number is too large (at most 100,000)', 'es')).toBe('Ese número es demasiado grande (como máximo 100.000)');
    expect(translateMessage('This address is new: it can be used from Dec 3, 2026, 10:05 UTC', 'de')).toBe(
      'Diese Adresse ist neu: Sie kann ab 03.12.2026, 10:05 UTC verwendet werden',
    );
    expect(translateMessage('usable from Dec 3, 2026, 10:05 UTC', 'es')).toBe('utilizable a partir del 3 dic 2026, 10:05 UTC');
    expect(translateMessage('Withdrawals are limited to 10000.00 USD per 24 hours; 9,5 USD left', 'de')).toBe(
      'Auszahlungen sind auf 10000.00 USD pro 24 Stunden begrenzt; noch 9,5 USD übrig',
    );
  });

  it('treats a value like text, never like a pattern', () => {
    expect(translateMessage('Unknown asset $&$1', 'de')).toBe('Unbekanntes Asset $&$1');
    expect(translateMessage('{field}.x is not an allowed field', 'de')).toBe('{field}.x ist kein zulässiges Feld');
  });

  it('leaves a very long message (one carrying a huge field name) alone, quickly', () => {
    const field = 'x must be '.repeat(50_000);
    const started = Date.now();
    expect(translateMessage(`${field} is not an allowed field`, 'de')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('localizeError', () => {
  it('translates the message and each detail, and says the language of the message', () => {
    const error = {
      code: 'INSUFFICIENT_FUNDS',
      message: 'Insufficient BTC balance',
      details: [{ field: 'BTC', message: 'needs 0.5 BTC, available 0.1 BTC' }],
    };
    expect(localizeError(error, 'es')).toEqual({
      error: {
        code: 'INSUFFICIENT_FUNDS',
        message: 'Saldo de BTC insuficiente',
        details: [{ field: 'BTC', message: 'se necesitan 0.5 BTC; disponible: 0.1 BTC' }],
      },
      language: 'es',
    });
    expect(error.message).toBe('Insufficient BTC balance');
  });

  it('keeps a detail it cannot translate in English, and the rest translated', () => {
    const { error } = localizeError({ code: 'VALIDATION_FAILED', message: 'Some fields are invalid', details: [{ field: 'a', message: 'no entry' }] }, 'de');
    expect(error).toEqual({ code: 'VALIDATION_FAILED', message: 'Einige Felder sind ungültig', details: [{ field: 'a', message: 'no entry' }] });
  });

  it('says English when the message itself has no entry', () => {
    expect(localizeError({ code: 'X', message: 'no entry' }, 'de').language).toBe('en');
  });
});
