import request from 'supertest';
import type { RunningApp } from '../../support/app';
import { createUser, TestUser, uniqueEmail } from '../../support/factories';
import { SmtpSink } from '../../support/smtp';
import { useAppSuite } from '../../support/suite';

/**
 * Error messages in the caller's language (API.md "Error message language"): `Accept-Language` picks German or
 * Spanish (q-values respected, anything else English), the answer says which in `Content-Language`, and the error
 * `code` is the same in every language. Real limits (RATE_LIMIT_SCALE 1) and client addresses of their own
 * (TRUST_PROXY: X-Forwarded-For is believed), so each test counts only its own failures.
 */
describe('API error messages in the caller’s language', () => {
  let mail: SmtpSink;
  let app: RunningApp;
  let ann: TestUser;
  const suite = useAppSuite({ RATE_LIMIT_SCALE: '1', TRUST_PROXY: 'loopback' });
  beforeAll(async () => {
    ({ mail, app } = suite);
    ann = await createUser(app, mail);
  });

  let address = 0;
  /** A client address of its own for each call site's requests. */
  const nextAddress = () => `198.51.100.${++address}`;
  const signup = (body: object, language: string | undefined, ip: string) => {
    const req = request(app.url).post('/api/auth/signup').set('X-Forwarded-For', ip);
    return (language === undefined ? req : req.set('Accept-Language', language)).send(body);
  };
  const invalidSignup = { email: 'not-an-address', password: 'short1', name: 'A' };

  it('answers a validation error with its field messages in German or Spanish, and the same code', async () => {
    const ip = nextAddress();
    const de = await signup(invalidSignup, 'de', ip).expect(400);
    expect(de.headers['content-language']).toBe('de');
    expect(de.headers.vary).toMatch(/Accept-Language/i);
    expect(de.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Einige Felder sind ungültig',
      details: expect.arrayContaining([
        { field: 'email', message: 'Geben Sie eine gültige E-Mail-Adresse ein' },
        { field: 'password', message: 'Verwenden Sie mindestens 8 Zeichen' },
        { field: 'name', message: 'Geben Sie einen Namen mit 2 bis 100 Zeichen ein' },
      ]),
    });

    const es = await signup(invalidSignup, 'es-ES', ip).expect(400);
    expect(es.headers['content-language']).toBe('es');
    expect(es.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Algunos campos no son válidos',
      details: expect.arrayContaining([
        { field: 'email', message: 'Introduce una dirección de correo electrónico válida' },
        { field: 'password', message: 'Usa al menos 8 caracteres' },
        { field: 'name', message: 'Introduce un nombre de 2 a 100 caracteres' },
      ]),
    });
  });

  it('answers in English for another language and without the header, with the same code and fields', async () => {
    const ip = nextAddress();
    const english = {
      code: 'VALIDATION_FAILED',
      message: 'Some fields are invalid',
      details: expect.arrayContaining([
        { field: 'email', message: 'Enter a valid email address' },
        { field: 'password', message: 'Use at least 8 characters' },
        { field: 'name', message: 'Enter a name of 2 to 100 characters' },
      ]),
    };
    for (const language of ['fr', undefined, 'en-GB', '*']) {
      const res = await signup(invalidSignup, language, ip).expect(400);
      expect(res.body.error).toEqual(english);
      expect(res.headers['content-language']).toBe('en');
    }
  });

  it('respects q-values: the best language we have wins', async () => {
    const ip = nextAddress();
    const cases: [string, string][] = [
      ['fr;q=0.9, es;q=0.8', 'Algunos campos no son válidos'],
      ['de;q=0.5, es;q=0.7, fr', 'Algunos campos no son válidos'],
      ['es;q=0, de', 'Einige Felder sind ungültig'],
      ['de-CH, es;q=0.9', 'Einige Felder sind ungültig'],
      ['en;q=0.9, de;q=0.8', 'Some fields are invalid'],
      ['fr-FR, fr;q=0.9, de;q=0.1', 'Einige Felder sind ungültig'],
    ];
    for (const [header, message] of cases) {
      const res = await signup(invalidSignup, header, ip).expect(400);
      expect({ header, code: res.body.error.code, message: res.body.error.message }).toEqual({ header, code: 'VALIDATION_FAILED', message });
    }
  });

  it('writes numbers the language’s way and keeps the values the API takes', async () => {
    const res = await request(app.url)
      .post('/api/wallet/deposit/create')
      .set(ann.auth)
      .set('Accept-Language', 'de-DE,de;q=0.9')
      .send({ amount: '200000', currency: 'doge' })
      .expect(400);
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'amount', message: 'Diese Zahl ist zu groß (höchstens 100.000)' },
        { field: 'currency', message: 'Wählen Sie eine Währung zum Bezahlen: btc, eth, usdt, usdc, ltc, bnb oder sol' },
      ]),
    );
  });

  it('answers a wrong password (401) in the caller’s language', async () => {
    const login = (language: string) =>
      request(app.url)
        .post('/api/auth/login')
        .set('X-Forwarded-For', nextAddress())
        .set('Accept-Language', language)
        .send({ email: ann.email, password: 'Wrong-Pass-1' });
    const de = await login('de').expect(401);
    expect(de.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'E-Mail-Adresse oder Passwort ist falsch' });
    const es = await login('es').expect(401);
    expect(es.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'El correo electrónico o la contraseña no son correctos' });
    const en = await login('fr').expect(401);
    expect(en.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'The email or the password is wrong' });
  });

  it('tells how many minutes to wait after too many attempts (429), in the caller’s language', async () => {
    // One account's five failures in a row lock it for 15 minutes (ACCOUNT_LOCKED).
    const email = uniqueEmail('locked');
    const ip = nextAddress();
    const login = (language: string) =>
      request(app.url).post('/api/auth/login').set('X-Forwarded-For', ip).set('Accept-Language', language).send({ email, password: 'Wrong-Pass-1' });
    for (let i = 0; i < 5; i++) await login('de').expect(401);
    const locked = await login('de').expect(429);
    expect(locked.body.error).toEqual({ code: 'ACCOUNT_LOCKED', message: 'Zu viele fehlgeschlagene Anmeldungen; versuchen Sie es in 15 Min. erneut' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);

    // One client address past 50 failed credentials in 15 minutes (RATE_LIMITED).
    const sprayer = nextAddress();
    const spray = (language: string) =>
      request(app.url)
        .post('/api/auth/login')
        .set('X-Forwarded-For', sprayer)
        .set('Accept-Language', language)
        .send({ email: uniqueEmail('spray'), password: 'Summer-2026!' });
    for (let i = 0; i < 50; i++) expect((await spray('en')).status).toBe(401);
    const es = await spray('es').expect(429);
    expect(es.body.error.code).toBe('RATE_LIMITED');
    expect(es.body.error.message).toMatch(/^Demasiados intentos\. Vuelve a intentarlo dentro de 1[45] minutos\.$/);
    expect(es.headers['content-language']).toBe('es');
    const de = await spray('de').expect(429);
    expect(de.body.error.message).toMatch(/^Zu viele Versuche\. Bitte versuchen Sie es in 1[45] Minuten erneut\.$/);
    const en = await spray('en').expect(429);
    expect(en.body.error).toEqual({ code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many attempts\. Please try again in 1[45] minutes\.$/) });
  });

  it('answers a conflict (409) in the caller’s language', async () => {
    const ip = nextAddress();
    const taken = (language: string) => signup({ email: ann.email, password: 'Another-Pass-1', name: 'Copy' }, language, ip).expect(409);
    expect((await taken('es')).body.error).toEqual({ code: 'EMAIL_TAKEN', message: 'Ya existe una cuenta con este correo electrónico' });
    expect((await taken('de')).body.error).toEqual({ code: 'EMAIL_TAKEN', message: 'Es gibt bereits ein Konto mit dieser E-Mail-Adresse' });
    expect((await taken('en')).body.error).toEqual({ code: 'EMAIL_TAKEN', message: 'An account with this email already exists' });
  });
});
