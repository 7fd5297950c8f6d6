import type { ErrorCatalogue } from './error-messages';

/**
 * German error messages: Sie-form, in the client's words (src/locale/de.json): Auszahlung, Zwei-Faktor-Authentifizierung,
 * Passkey, Authenticator-App, Backup-Code, Identität bestätigen, Adressbuch, Symbol (ticker), Asset, Alarm, Admin.
 * Keys are the English messages (see ErrorCatalogue); error-messages.catalogue.spec.ts checks that every message the
 * API can answer has an entry here, with the same placeholders.
 */
export const DE: ErrorCatalogue = {
  locale: 'de-DE',
  or: 'oder',
  messages: {
    // API keys (auth/api-keys)
    'No such API key': 'Diesen API-Schlüssel gibt es nicht',
    'You can have at most {max} active API keys: revoke one first': 'Sie können höchstens {max} aktive API-Schlüssel haben: widerrufen Sie zuerst einen',
    'The API key signature does not verify: sign the request as API.md "API keys" describes, with this key':
      'Die Signatur des API-Schlüssels ist ungültig: Signieren Sie die Anfrage mit diesem Schlüssel, wie API.md „API keys“ es beschreibt',
    'Missing or malformed {field} header: sign the request as API.md "API keys" describes':
      'Der Header {field} fehlt oder ist ungültig: Signieren Sie die Anfrage, wie API.md „API keys“ es beschreibt',
    "The request's CV-API-TIMESTAMP is more than {seconds} seconds away from the server's clock: send the current time in milliseconds since 1970 (check the clock of the machine that signs)":
      'Der CV-API-TIMESTAMP der Anfrage weicht um mehr als {seconds} Sekunden von der Uhr des Servers ab: Senden Sie die aktuelle Zeit in Millisekunden seit 1970 (prüfen Sie die Uhr des signierenden Rechners)',
    'This API key was revoked: create a new one under Settings → API keys':
      'Dieser API-Schlüssel wurde widerrufen: Erstellen Sie unter Einstellungen → API-Schlüssel einen neuen',
    'This API key has expired: create a new one under Settings → API keys':
      'Dieser API-Schlüssel ist abgelaufen: Erstellen Sie unter Einstellungen → API-Schlüssel einen neuen',
    "This API key does not accept requests from your address: add it to the key's IP allowlist":
      'Dieser API-Schlüssel nimmt keine Anfragen von Ihrer Adresse an: Fügen Sie sie der IP-Freigabeliste des Schlüssels hinzu',
    'This CV-API-NONCE was used before: send a new nonce with every request':
      'Diese CV-API-NONCE wurde schon verwendet: Senden Sie mit jeder Anfrage eine neue Nonce',
    'Signed requests cannot be checked for replays right now; please retry shortly':
      'Signierte Anfragen können gerade nicht auf Wiederholungen geprüft werden; bitte versuchen Sie es gleich noch einmal',
    'This public key is published (our documentation’s example or a standard test key), so anyone has its private key: make your own key pair':
      'Dieser öffentliche Schlüssel ist veröffentlicht (das Beispiel unserer Dokumentation oder ein Standard-Testschlüssel), also kennt jeder seinen privaten Schlüssel: Erzeugen Sie Ihr eigenes Schlüsselpaar',
    'Make a new key pair and paste its public key: this one is published':
      'Erzeugen Sie ein neues Schlüsselpaar und fügen Sie dessen öffentlichen Schlüssel ein: Dieser ist veröffentlicht',
    'Turn on two-factor authentication before creating a key that can withdraw':
      'Aktivieren Sie die Zwei-Faktor-Authentifizierung, bevor Sie einen Schlüssel erstellen, der Auszahlungen veranlassen kann',
    'A key that can withdraw needs a fresh confirmation: enter a new code from your authenticator app (or a backup code), or confirm with a passkey':
      'Ein Schlüssel, der Auszahlungen veranlassen kann, braucht eine neue Bestätigung: Geben Sie einen neuen Code aus Ihrer Authenticator-App (oder einen Backup-Code) ein oder bestätigen Sie mit einem Passkey',
    'This account is frozen: reset your password by email to unfreeze it':
      'Dieses Konto ist eingefroren: Setzen Sie Ihr Passwort per E-Mail zurück, um es zu entsperren',
    'API keys cannot be used here: sign in to the app for this': 'API-Schlüssel können hier nicht verwendet werden: Melden Sie sich dafür in der App an',
    'This API key lacks the {scope} scope: create a key with it under Settings → API keys':
      'Diesem API-Schlüssel fehlt die Berechtigung {scope}: Erstellen Sie unter Einstellungen → API-Schlüssel einen Schlüssel mit ihr',
    'Paste an Ed25519 public key: base64 of its 32 bytes, or a PEM "PUBLIC KEY"':
      'Fügen Sie einen öffentlichen Ed25519-Schlüssel ein: Base64 seiner 32 Bytes oder einen PEM-„PUBLIC KEY“',
    'Enter at most 20 IP addresses or CIDR blocks such as 203.0.113.7 or 2001:db8::/32':
      'Geben Sie höchstens 20 IP-Adressen oder CIDR-Blöcke wie 203.0.113.7 oder 2001:db8::/32 ein',
    'A key that can withdraw allows at most a /24 (IPv4) or /48 (IPv6) block per entry: enter your servers’ own addresses':
      'Ein Schlüssel, der auszahlen darf, erlaubt je Eintrag höchstens einen /24-Block (IPv4) oder /48-Block (IPv6): Geben Sie die Adressen Ihrer eigenen Server ein',
    'A key that can withdraw needs an IP allowlist: enter the addresses your servers send from':
      'Ein Schlüssel, der auszahlen darf, braucht eine IP-Freigabeliste: Geben Sie die Adressen ein, von denen Ihre Server senden',
    'Choose an expiry in the future, at most a year ahead': 'Wählen Sie ein Ablaufdatum in der Zukunft, höchstens ein Jahr im Voraus',
    'Choose one or more of read, trade and withdraw': 'Wählen Sie eine oder mehrere von read, trade und withdraw',
    // Webhooks (auth/api-keys/webhooks)
    'An API key can have at most {max} webhook endpoints: delete one first':
      'Ein API-Schlüssel kann höchstens {max} Webhook-Endpunkte haben: Löschen Sie zuerst einen',
    'Your API keys can have at most {max} webhook endpoints together: delete one first':
      'Ihre API-Schlüssel können zusammen höchstens {max} Webhook-Endpunkte haben: Löschen Sie zuerst einen',
    'No such webhook endpoint': 'Diesen Webhook-Endpunkt gibt es nicht',
    'No such event at this webhook endpoint': 'Dieses Ereignis gibt es bei diesem Webhook-Endpunkt nicht',
    'This event was just sent to this endpoint: redeliver it again in a moment':
      'Dieses Ereignis wurde gerade an diesen Endpunkt gesendet: Stellen Sie es gleich erneut zu',
    'This event is being delivered right now: look at the delivery log in a moment':
      'Dieses Ereignis wird gerade zugestellt: Sehen Sie gleich im Zustellprotokoll nach',
    'This API key is revoked or expired: its webhooks receive nothing': 'Dieser API-Schlüssel ist widerrufen oder abgelaufen: Seine Webhooks erhalten nichts',
    'The host {host} does not resolve: check the URL': 'Der Host {host} lässt sich nicht auflösen: Prüfen Sie die URL',
    'Webhooks go only to public addresses, and {host} is a private, loopback, link-local or reserved one':
      'Webhooks gehen nur an öffentliche Adressen, und {host} ist eine private, Loopback-, Link-Local- oder reservierte Adresse',
    'Enter a URL of at most 2048 characters': 'Geben Sie eine URL mit höchstens 2048 Zeichen ein',
    'Enter a URL starting with https://': 'Geben Sie eine URL ein, die mit https:// beginnt',
    'Enter a URL starting with https:// or http://': 'Geben Sie eine URL ein, die mit https:// oder http:// beginnt',
    'Leave the user name and password out of the URL: check the signature instead':
      'Lassen Sie Benutzername und Passwort aus der URL weg: Prüfen Sie stattdessen die Signatur',
    'Enter a URL with a host name': 'Geben Sie eine URL mit einem Hostnamen ein',
    'Choose one or more of order.filled, order.cancelled, deposit.credited, withdrawal.updated and alert.triggered':
      'Wählen Sie eines oder mehrere von order.filled, order.cancelled, deposit.credited, withdrawal.updated und alert.triggered',
    // Proof of reserves
    'A proof-of-reserves snapshot is being taken; try again in a minute': 'Gerade wird ein Reservenachweis erstellt; versuchen Sie es in einer Minute erneut',
    'No proof-of-reserves snapshot has been published yet': 'Es wurde noch kein Reservenachweis veröffentlicht',
    'Your account had no balance when the latest proof-of-reserves snapshot was taken, so it has no leaf in it':
      'Ihr Konto hatte bei der Erstellung des letzten Reservenachweises kein Guthaben und ist darin daher nicht enthalten',
    // Statements
    'Choose a month like 2026-06 (year and month)': 'Wählen Sie einen Monat wie 2026-06 (Jahr und Monat)',
    'Choose a month from {earliest} to {latest}': 'Wählen Sie einen Monat von {earliest} bis {latest}',
    'This month has {count} movements, more than a PDF statement holds ({max}); download the CSV instead':
      'Dieser Monat hat {count} Bewegungen, mehr als ein PDF-Kontoauszug fasst ({max}); laden Sie stattdessen die CSV-Datei herunter',
    // Your data: exports and closing the account
    'An export of your data is already being made; wait until it is ready': 'Ein Export Ihrer Daten wird bereits erstellt; warten Sie, bis er fertig ist',
    'You have requested the most exports of your data a day allows; try again later':
      'Sie haben heute bereits so viele Exporte Ihrer Daten angefordert wie erlaubt; versuchen Sie es später erneut',
    'No such export': 'Diesen Export gibt es nicht',
    'This download link is invalid or has expired; ask for a new one': 'Dieser Download-Link ist ungültig oder abgelaufen; fordern Sie einen neuen an',
    'This download link is incomplete: ask for a new one': 'Dieser Download-Link ist unvollständig: Fordern Sie einen neuen an',
    'This export has expired; request a new one': 'Dieser Export ist abgelaufen; fordern Sie einen neuen an',
    'This export is not ready yet': 'Dieser Export ist noch nicht fertig',
    'Type your email address to confirm': 'Geben Sie zur Bestätigung Ihre E-Mail-Adresse ein',
    'This is not the email address of your account': 'Das ist nicht die E-Mail-Adresse Ihres Kontos',
    'Your account can be closed only when nothing is left in it: withdraw your balances and finish your open orders, withdrawals and deposits first':
      'Ihr Konto kann nur geschlossen werden, wenn nichts mehr darin ist: Heben Sie zuerst Ihre Guthaben ab und schließen Sie Ihre offenen Orders, Auszahlungen und Einzahlungen ab',
    'Withdraw or sell this balance first': 'Heben Sie dieses Guthaben zuerst ab oder verkaufen Sie es',
    'Cancel your open orders first': 'Stornieren Sie zuerst Ihre offenen Orders',
    'Wait for your withdrawals to complete, or cancel them, first': 'Warten Sie zuerst, bis Ihre Auszahlungen abgeschlossen sind, oder stornieren Sie sie',
    'Wait for your pending deposits to be credited or to expire first': 'Warten Sie zuerst, bis Ihre offenen Einzahlungen gutgeschrieben oder abgelaufen sind',
    // Sign-up, sign-in, sessions
    'Authentication required': 'Anmeldung erforderlich',
    'An account with this email already exists': 'Es gibt bereits ein Konto mit dieser E-Mail-Adresse',
    'The email or the password is wrong': 'E-Mail-Adresse oder Passwort ist falsch',
    'The password is wrong': 'Das Passwort ist falsch',
    'Too many failed sign-ins; try again in {minutes} min': 'Zu viele fehlgeschlagene Anmeldungen; versuchen Sie es in {minutes} Min. erneut',
    'This account is suspended': 'Dieses Konto ist suspendiert',
    'The account no longer exists': 'Das Konto existiert nicht mehr',
    'Verify your email address first (see the code we sent)': 'Bestätigen Sie zuerst Ihre E-Mail-Adresse (mit dem Code, den wir Ihnen gesendet haben)',
    'Sign in first: send an access token as a Bearer header or the access_token cookie':
      'Melden Sie sich zuerst an: Senden Sie ein Zugriffstoken als Bearer-Header oder im Cookie access_token',
    'The access token is invalid or expired': 'Das Zugriffstoken ist ungültig oder abgelaufen',
    'Not an access token': 'Kein Zugriffstoken',
    'This session has ended; sign in again': 'Diese Sitzung ist beendet; melden Sie sich erneut an',
    'The refresh token is invalid': 'Das Refresh-Token ist ungültig',
    'The refresh token has expired; sign in again': 'Das Refresh-Token ist abgelaufen; melden Sie sich erneut an',
    'This refresh token was already used; the session has been ended for safety':
      'Dieses Refresh-Token wurde bereits verwendet; die Sitzung wurde zur Sicherheit beendet',
    'Send the refresh token (refresh_token cookie or {refreshToken})': 'Senden Sie das Refresh-Token (Cookie refresh_token oder {refreshToken})',
    'Send the refresh token as text': 'Senden Sie das Refresh-Token als Text',
    'That refresh token is too long (at most 4096 characters)': 'Dieses Refresh-Token ist zu lang (höchstens 4096 Zeichen)',
    'No such active session': 'Diese aktive Sitzung gibt es nicht',

    // Email verification, password reset, email change, links
    'The verification code or link is invalid or has expired': 'Der Bestätigungscode oder -link ist ungültig oder abgelaufen',
    'invalid or expired; request a new one': 'ungültig oder abgelaufen; fordern Sie einen neuen an',
    'Send either token, or email and code': 'Senden Sie entweder token oder email und code',
    'send either token, or email and code': 'senden Sie entweder token oder email und code',
    'Enter the 6-digit code from the email': 'Geben Sie den 6-stelligen Code aus der E-Mail ein',
    'This link is incomplete: open it again from the email': 'Dieser Link ist unvollständig: Öffnen Sie ihn erneut aus der E-Mail',
    'The reset link is invalid, used or expired': 'Der Link zum Zurücksetzen ist ungültig, bereits verwendet oder abgelaufen',
    'The confirmation link is invalid, used or expired': 'Der Bestätigungslink ist ungültig, bereits verwendet oder abgelaufen',
    'invalid, used or expired': 'ungültig, bereits verwendet oder abgelaufen',
    'invalid, used or expired; request a new link': 'ungültig, bereits verwendet oder abgelaufen; fordern Sie einen neuen Link an',
    'invalid, used or expired; ask for the change again from Settings':
      'ungültig, bereits verwendet oder abgelaufen; beantragen Sie die Änderung in den Einstellungen erneut',
    'invalid, used or expired; add the address again for a new link':
      'ungültig, bereits verwendet oder abgelaufen; fügen Sie die Adresse erneut hinzu, um einen neuen Link zu erhalten',
    'That is already your sign-in address': 'Das ist bereits Ihre Anmeldeadresse',
    'This address has meanwhile been registered by another account; ask for the change again with another address':
      'Diese Adresse wurde inzwischen von einem anderen Konto registriert; beantragen Sie die Änderung erneut mit einer anderen Adresse',

    // Form fields
    'Enter a valid email address': 'Geben Sie eine gültige E-Mail-Adresse ein',
    'That email address is too long (at most 254 characters)': 'Diese E-Mail-Adresse ist zu lang (höchstens 254 Zeichen)',
    'Enter a name of 2 to 100 characters': 'Geben Sie einen Namen mit 2 bis 100 Zeichen ein',
    'Enter a name of 1 to 64 characters': 'Geben Sie einen Namen mit 1 bis 64 Zeichen ein',
    'A name cannot contain control characters': 'Ein Name darf keine Steuerzeichen enthalten',
    'Enter your password': 'Geben Sie Ihr Passwort ein',
    'Enter a password': 'Geben Sie ein Passwort ein',
    'Use at least {min} characters': 'Verwenden Sie mindestens {min} Zeichen',
    'That password is too long (at most {max} characters)': 'Dieses Passwort ist zu lang (höchstens {max} Zeichen)',
    'That password is too long (at most 128 characters)': 'Dieses Passwort ist zu lang (höchstens 128 Zeichen)',
    'Add at least one letter': 'Fügen Sie mindestens einen Buchstaben hinzu',
    'Add at least one digit': 'Fügen Sie mindestens eine Ziffer hinzu',
    'That password is too common: choose one that is not on lists of breached passwords':
      'Dieses Passwort ist zu verbreitet: Wählen Sie eines, das nicht auf Listen gestohlener Passwörter steht',
    '{field} is not an allowed field': '{field} ist kein zulässiges Feld',
    'Some fields are invalid': 'Einige Felder sind ungültig',
    '{field} must be {idKind}': '{field} muss {idKind} sein',
    'Enter a valid {field} (an id like 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)':
      'Geben Sie eine gültige {field} ein (eine ID wie 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)',
    'Enter a valid user id (like 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)': 'Geben Sie eine gültige Benutzer-ID ein (etwa 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)',
    'This page link no longer works; start again from the first page': 'Dieser Seitenlink funktioniert nicht mehr; beginnen Sie erneut auf der ersten Seite',
    'Choose {what} from {min} to {max}': 'Wählen Sie {what} zwischen {min} und {max}',
    'Choose {choices}': 'Wählen Sie {choices}',
    'Enter {what} as a date and time like {example}': 'Geben Sie {what} als Datum und Uhrzeit ein, z. B. {example}',
    'Choose a date between the years {min} and {max}': 'Wählen Sie ein Datum zwischen den Jahren {min} und {max}',
    'Choose an end that is not before the start': 'Wählen Sie ein Ende, das nicht vor dem Beginn liegt',
    'Enter a ticker like BTC (up to {max} letters and digits)': 'Geben Sie ein Symbol wie BTC ein (bis zu {max} Buchstaben und Ziffern)',
    'Enter a ticker like BTC ({min} to {max} letters and digits)': 'Geben Sie ein Symbol wie BTC ein ({min} bis {max} Buchstaben und Ziffern)',
    'Idempotency-Key must be 1-200 letters, digits or ._:-': 'Der Idempotency-Key muss aus 1–200 Buchstaben, Ziffern oder ._:- bestehen',
    'Idempotency-Key must be 1–200 letters, digits or _ . : -': 'Der Idempotency-Key muss aus 1–200 Buchstaben, Ziffern oder _ . : - bestehen',

    // Numbers (IsDecimalString)
    'Enter {label}, like {example}': 'Geben Sie {label} ein, z. B. {example}',
    'Send {label} as text in quotes, like "{example}"': 'Senden Sie {label} als Text in Anführungszeichen, z. B. "{example}"',
    'Enter {label} like 250 or 0.5': 'Geben Sie {label} wie 250 oder 0.5 ein',
    'Enter {label} like 250 or 12.50': 'Geben Sie {label} wie 250 oder 12.50 ein',
    'Enter {label} like 100 or -100': 'Geben Sie {label} wie 100 oder -100 ein',
    'That number is too large (at most {max})': 'Diese Zahl ist zu groß (höchstens {max})',
    'That number is too large (at most {max} either way)': 'Diese Zahl ist zu groß (betragsmäßig höchstens {max})',
    'That number is too large (at most {digits} digits before the point)': 'Diese Zahl ist zu groß (höchstens {digits} Stellen vor dem Komma)',
    'That number is too large (at most {digits} digits before the point either way)':
      'Diese Zahl ist zu groß (betragsmäßig höchstens {digits} Stellen vor dem Komma)',
    'Enter {label} more than {min}': 'Geben Sie {label} größer als {min} ein',
    'Enter {label} of {min} or more': 'Geben Sie {label} von mindestens {min} ein',
    'Use a whole number, without decimals': 'Verwenden Sie eine ganze Zahl ohne Nachkommastellen',
    'Use at most {max} decimals': 'Verwenden Sie höchstens {max} Nachkommastellen',

    // Two-factor authentication, passkeys, confirming it is you
    'Enter the 6-digit code from your authenticator app': 'Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein',
    'Enter the 6-digit code from your authenticator app, or a backup code':
      'Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Backup-Code ein',
    'Enter the 6-digit code from your authenticator app, or confirm with a passkey':
      'Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein oder bestätigen Sie mit einem Passkey',
    'Enter the code from your authenticator app (or a backup code), or use a passkey':
      'Geben Sie den Code aus Ihrer Authenticator-App (oder einen Backup-Code) ein, oder verwenden Sie einen Passkey',
    'The two-factor code is not valid': 'Der Zwei-Faktor-Code ist ungültig',
    'The two-factor code is not valid (each code works once)': 'Der Zwei-Faktor-Code ist ungültig (jeder Code gilt nur einmal)',
    'Two-factor authentication is on: enter the code from your authenticator app (or a backup code) too':
      'Die Zwei-Faktor-Authentifizierung ist aktiviert: Geben Sie auch den Code aus Ihrer Authenticator-App (oder einen Backup-Code) ein',
    'Two-factor authentication is already on': 'Die Zwei-Faktor-Authentifizierung ist bereits aktiviert',
    'Two-factor authentication is already on; disable it first': 'Die Zwei-Faktor-Authentifizierung ist bereits aktiviert; deaktivieren Sie sie zuerst',
    'Two-factor authentication is not on': 'Die Zwei-Faktor-Authentifizierung ist nicht aktiviert',
    'Turn on two-factor authentication first': 'Aktivieren Sie zuerst die Zwei-Faktor-Authentifizierung',
    'Two-factor enrolment changed meanwhile; start again':
      'Die Einrichtung der Zwei-Faktor-Authentifizierung hat sich inzwischen geändert; beginnen Sie erneut',
    'Start with POST /api/auth/2fa/setup': 'Beginnen Sie mit POST /api/auth/2fa/setup',
    'Enter your password, or confirm with a passkey': 'Geben Sie Ihr Passwort ein oder bestätigen Sie mit einem Passkey',
    'Confirm it is you first: this change needs your password (and your two-factor code when 2FA is on) from this session within the last few minutes (POST /api/auth/step-up), then try again':
      'Bestätigen Sie zuerst Ihre Identität: Für diese Änderung brauchen wir Ihr Passwort (und bei aktivierter Zwei-Faktor-Authentifizierung Ihren Zwei-Faktor-Code) aus dieser Sitzung innerhalb der letzten Minuten (POST /api/auth/step-up); versuchen Sie es dann erneut',
    'Other confirmations of this account are being checked; try again in a moment':
      'Andere Bestätigungen dieses Kontos werden gerade geprüft; versuchen Sie es gleich noch einmal',
    'The confirmation failed, and there have now been too many failed confirmations from this account: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'Die Bestätigung ist fehlgeschlagen, und es gab jetzt zu viele fehlgeschlagene Bestätigungen von diesem Konto: Auszahlungen und Sicherheitsänderungen (Identitätsbestätigungen: Änderungen der Zwei-Faktor-Authentifizierung, des Passworts und der E-Mail-Adresse) sind für {minutes} Min. gesperrt. Das Zurücksetzen des Passworts per E-Mail und das Abmelden funktionieren weiterhin.',
    'The confirmation failed, and there have now been too many failed confirmations from this session: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'Die Bestätigung ist fehlgeschlagen, und es gab jetzt zu viele fehlgeschlagene Bestätigungen in dieser Sitzung: Auszahlungen und Sicherheitsänderungen (Identitätsbestätigungen: Änderungen der Zwei-Faktor-Authentifizierung, des Passworts und der E-Mail-Adresse) sind für {minutes} Min. gesperrt. Das Zurücksetzen des Passworts per E-Mail und das Abmelden funktionieren weiterhin.',
    'There have been too many failed confirmations from this account: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'Es gab zu viele fehlgeschlagene Bestätigungen von diesem Konto: Auszahlungen und Sicherheitsänderungen (Identitätsbestätigungen: Änderungen der Zwei-Faktor-Authentifizierung, des Passworts und der E-Mail-Adresse) sind für {minutes} Min. gesperrt. Das Zurücksetzen des Passworts per E-Mail und das Abmelden funktionieren weiterhin.',
    'There have been too many failed confirmations from this session: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'Es gab zu viele fehlgeschlagene Bestätigungen in dieser Sitzung: Auszahlungen und Sicherheitsänderungen (Identitätsbestätigungen: Änderungen der Zwei-Faktor-Authentifizierung, des Passworts und der E-Mail-Adresse) sind für {minutes} Min. gesperrt. Das Zurücksetzen des Passworts per E-Mail und das Abmelden funktionieren weiterhin.',
    'The passkey could not be verified': 'Der Passkey konnte nicht bestätigt werden',
    'The passkey could not be verified; try again': 'Der Passkey konnte nicht bestätigt werden; versuchen Sie es erneut',
    'The passkey could not be verified for this site; try again': 'Der Passkey konnte für diese Website nicht bestätigt werden; versuchen Sie es erneut',
    'The passkey did not answer completely: try it again': 'Der Passkey hat nicht vollständig geantwortet: Versuchen Sie es noch einmal',
    'This passkey answers no registration of this session (or it expired); start again':
      'Dieser Passkey gehört zu keiner Registrierung dieser Sitzung (oder sie ist abgelaufen); beginnen Sie erneut',
    'This is not the answer to a {purpose} challenge': 'Das ist nicht die Antwort auf eine Challenge zur {purpose}',
    'This passkey is already registered': 'Dieser Passkey ist bereits registriert',
    'No such passkey': 'Diesen Passkey gibt es nicht',
    'No passkey is registered on this account': 'Für dieses Konto ist kein Passkey registriert',
    'An account can hold {max} passkeys; remove one first': 'Ein Konto kann höchstens {max} Passkeys haben; entfernen Sie zuerst einen',
    'userHandle must be base64url': 'userHandle muss base64url-kodiert sein',
    '{field} must be base64url': '{field} muss base64url-kodiert sein',

    // Frozen accounts and security holds
    'This account is frozen because its owner reported activity that wasn\'t theirs. To unfreeze it, reset your password by email ("Forgot password"); until then {refused} refused.':
      'Dieses Konto ist eingefroren, weil sein Inhaber Aktivitäten gemeldet hat, die nicht von ihm stammten. Um es wieder freizugeben, setzen Sie Ihr Passwort per E-Mail zurück („Passwort vergessen?“); bis dahin werden {refused} abgelehnt.',
    'This "This wasn\'t me" link is invalid, already used or expired. If you still need help, reset your password by email.':
      'Dieser „Das war ich nicht“-Link ist ungültig, bereits verwendet oder abgelaufen. Falls Sie weiterhin Hilfe brauchen, setzen Sie Ihr Passwort per E-Mail zurück.',
    'Withdrawals are on hold until {until} because {reason}. This protects you if someone else made the change.':
      'Auszahlungen sind bis {until} gesperrt, weil {reason}. Das schützt Sie, falls jemand anderes die Änderung vorgenommen hat.',

    // Requests, CSRF, limits, the server
    'Missing or invalid CSRF token: send the csrf_token cookie value in the X-CSRF-Token header (GET /api/csrf)':
      'CSRF-Token fehlt oder ist ungültig: Senden Sie den Wert des Cookies csrf_token im Header X-CSRF-Token (GET /api/csrf)',
    "State-changing requests are accepted from this application's own pages only": 'Ändernde Anfragen werden nur von den Seiten dieser Anwendung angenommen',
    'Too many attempts. Please try again in 1 second.': 'Zu viele Versuche. Bitte versuchen Sie es in 1 Sekunde erneut.',
    'Too many attempts. Please try again in {seconds} seconds.': 'Zu viele Versuche. Bitte versuchen Sie es in {seconds} Sekunden erneut.',
    'Too many attempts. Please try again in {minutes} minutes.': 'Zu viele Versuche. Bitte versuchen Sie es in {minutes} Minuten erneut.',
    'This Idempotency-Key was already used with a different request': 'Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet',
    'A request with this Idempotency-Key is still in progress': 'Eine Anfrage mit diesem Idempotency-Key wird noch bearbeitet',
    'Send the request body as JSON (Content-Type: application/json)': 'Senden Sie den Request-Body als JSON (Content-Type: application/json)',
    'The request body is not valid JSON': 'Der Request-Body ist kein gültiges JSON',
    'The request body could not be read': 'Der Request-Body konnte nicht gelesen werden',
    'The request body is larger than the {size} MB limit': 'Der Request-Body ist größer als das Limit von {size} MB',
    'The request body is larger than the {size} KB limit': 'Der Request-Body ist größer als das Limit von {size} KB',
    'The request body is larger than the {size} byte limit': 'Der Request-Body ist größer als das Limit von {size} Byte',
    'The request body is nested deeper than {max} levels': 'Der Request-Body ist tiefer als {max} Ebenen verschachtelt',
    'JSON bodies must be UTF-8, not {charset}': 'JSON-Bodys müssen UTF-8-kodiert sein, nicht {charset}',
    'No such route': 'Diese Route gibt es nicht',
    'Not found': 'Nicht gefunden',
    'You are not allowed to do this': 'Dazu sind Sie nicht berechtigt',
    'Something went wrong on our side. It has been logged.': 'Bei uns ist etwas schiefgelaufen. Der Fehler wurde protokolliert.',
    'A service we depend on is unavailable; please retry shortly':
      'Ein Dienst, auf den wir angewiesen sind, ist nicht verfügbar; bitte versuchen Sie es gleich noch einmal',
    'The request took too long; please retry': 'Die Anfrage hat zu lange gedauert; bitte versuchen Sie es erneut',
    'The database is busy; please retry shortly': 'Die Datenbank ist ausgelastet; bitte versuchen Sie es gleich noch einmal',
    'Send the metrics token as a Bearer header': 'Senden Sie das Metrik-Token als Bearer-Header',
    'Metrics are served to loopback callers only while METRICS_TOKEN is unset':
      'Solange METRICS_TOKEN nicht gesetzt ist, werden Metriken nur an Aufrufer über Loopback ausgeliefert',

    // Markets, prices, orders, portfolio
    'Choose a range: {choices}': 'Wählen Sie einen Zeitraum: {choices}',
    'Choose a purchase date that is not in the future': 'Wählen Sie ein Kaufdatum, das nicht in der Zukunft liegt',
    'Choose a purchase date in 2009 or later': 'Wählen Sie ein Kaufdatum ab 2009',
    'No such tracked lot': 'Diesen erfassten Posten gibt es nicht',
    'Unknown asset {symbol}': 'Unbekanntes Asset {symbol}',
    '{symbol} is not a listed asset': '{symbol} ist kein gelistetes Asset',
    'No asset with symbol {symbol}': 'Kein Asset mit dem Symbol {symbol}',
    'No cryptocurrency {id}': 'Keine Kryptowährung {id}',
    'No quote for {symbol} yet': 'Noch kein Kurs für {symbol}',
    'No {symbol} price newer than {ms} ms; try again shortly': 'Kein {symbol}-Kurs, der jünger als {ms} ms ist; versuchen Sie es gleich noch einmal',
    'Choose an interval: {choices}': 'Wählen Sie ein Intervall: {choices}',
    'Choose a start before the end': 'Wählen Sie einen Beginn vor dem Ende',
    'That is more than {max} candles: choose a shorter period or a wider interval':
      'Das sind mehr als {max} Kerzen: Wählen Sie einen kürzeren Zeitraum oder ein größeres Intervall',
    'Enter a quantity or an amount in USD': 'Geben Sie eine Menge oder einen Betrag in USD ein',
    'Enter a quantity or an amount in USD, not both': 'Geben Sie eine Menge oder einen Betrag in USD ein, nicht beides',
    'Leave out {what}: it is only for {orderType} orders': 'Lassen Sie {what} weg: Das gilt nur für {orderType}-Orders',
    'Enter {what} for a {orderType} order': 'Geben Sie {what} für eine {orderType}-Order ein',
    'The order is too small to buy any of the asset': 'Der Auftrag ist zu klein, um etwas von dem Asset zu kaufen',
    'The order is too small to {side} any of the asset': 'Der Auftrag ist zu klein, um etwas von dem Asset zu {side}',
    'The order value must be at least {amount} USD': 'Der Auftragswert muss mindestens {amount} USD betragen',
    'At that price this amount is more than {max}: enter less': 'Zu diesem Preis ist dieser Betrag mehr als {max}: Geben Sie weniger ein',
    'The order is {status}, only open orders can be cancelled': 'Der Auftrag ist {status}; nur offene Aufträge können storniert werden',
    'No such order': 'Diesen Auftrag gibt es nicht',
    'Insufficient {asset} balance': 'Ihr {asset}-Guthaben reicht nicht aus',
    'needs {needed}, available {available}': 'benötigt {needed}, verfügbar {available}',
    'No {symbol} holding': 'Kein {symbol}-Bestand',
    'No tracked {symbol} holding': 'Kein erfasster {symbol}-Bestand',

    // Convert and recurring buys
    'No such cash-out quote': 'Dieses Angebot für eine Dollar-Auszahlung gibt es nicht',
    'This quote was used meanwhile': 'Dieses Angebot wurde inzwischen verwendet',
    'This quote was already used for a cash-out to another address: get a new quote':
      'Dieses Angebot wurde bereits für eine Dollar-Auszahlung an eine andere Adresse verwendet: Holen Sie ein neues Angebot ein',
    'This address receives {asset} on {network}; the quote is for {quoteNetwork}: choose an address on {quoteNetwork} or get a new quote':
      'Diese Adresse empfängt {asset} über {network}; das Angebot gilt für {quoteNetwork}: Wählen Sie eine Adresse über {quoteNetwork} oder holen Sie ein neues Angebot ein',
    'receives {asset} on {network}, not on {quoteNetwork}': 'empfängt {asset} über {network}, nicht über {quoteNetwork}',
    'Cash out at least {amount}: the smallest {asset} withdrawal is {minimum} {asset}, sent after its {fee} {asset} network fee':
      'Zahlen Sie mindestens {amount} aus: Die kleinste {asset}-Auszahlung beträgt {minimum} {asset}, gesendet nach Abzug der Netzwerkgebühr von {fee} {asset}',
    'Enter at least {amount} USD': 'Geben Sie mindestens {amount} USD ein',
    'Choose a cash-out quote (a quote id)': 'Wählen Sie ein Angebot für eine Dollar-Auszahlung (eine Angebots-ID)',
    'Choose the stablecoin to send: {choices}': 'Wählen Sie den Stablecoin, der gesendet wird: {choices}',
    'Choose a network: {choices}': 'Wählen Sie ein Netzwerk: {choices}',
    'Choose a quote to convert (a quote id)': 'Wählen Sie ein Angebot zum Umtauschen (eine Angebots-ID)',
    'Choose an asset other than the one you convert from': 'Wählen Sie ein anderes Asset als das, aus dem Sie umtauschen',
    'Enter an amount to convert or an amount to receive': 'Geben Sie einen Betrag zum Umtauschen oder einen zu erhaltenden Betrag ein',
    'Enter an amount to convert or an amount to receive, not both': 'Geben Sie einen Betrag zum Umtauschen oder einen zu erhaltenden Betrag ein, nicht beides',
    'Convert at least {amount} USD worth': 'Tauschen Sie mindestens den Gegenwert von {amount} USD um',
    'No such quote': 'Dieses Angebot gibt es nicht',
    'This quote has expired: get a new quote': 'Dieses Angebot ist abgelaufen: Holen Sie ein neues Angebot ein',
    'This quote was settled meanwhile': 'Dieses Angebot wurde inzwischen abgewickelt',
    'Choose a start from now on: it cannot be in the past': 'Wählen Sie einen Beginn ab jetzt: Er darf nicht in der Vergangenheit liegen',
    'Choose a start within a year from now': 'Wählen Sie einen Beginn innerhalb eines Jahres ab jetzt',
    'Enter at least {amount}: after the fee, each buy must be worth at least {minimum}':
      'Geben Sie mindestens {amount} ein: Nach Abzug der Gebühr muss jeder Kauf mindestens {minimum} wert sein',
    'At most {max} recurring buys can be active at once; pause or delete one first':
      'Es können höchstens {max} wiederkehrende Käufe gleichzeitig aktiv sein; pausieren oder löschen Sie zuerst einen',
    'No such recurring buy': 'Diesen wiederkehrenden Kauf gibt es nicht',
    'The recurring buy is {status}': 'Der wiederkehrende Kauf ist {status}',

    // Alerts, notifications, transactions
    'Choose true or false for email notifications': 'Wählen Sie true oder false für E-Mail-Benachrichtigungen',
    'Choose true or false for push notifications': 'Wählen Sie true oder false für Push-Benachrichtigungen',
    'Choose true (armed) or false (paused)': 'Wählen Sie true (aktiv) oder false (pausiert)',
    'Choose true (armed alerts) or false (fired or paused ones)': 'Wählen Sie true (aktive Alarme) oder false (ausgelöste oder pausierte)',
    'At most {max} alerts can be active at once; pause or delete one first':
      'Es können höchstens {max} Alarme gleichzeitig aktiv sein; pausieren oder löschen Sie zuerst einen',
    'No such alert': 'Diesen Alarm gibt es nicht',
    'Choose true (only unread) or false (only read)': 'Wählen Sie true (nur ungelesene) oder false (nur gelesene)',
    'No such notification': 'Diese Benachrichtigung gibt es nicht',
    'No such transaction': 'Diese Transaktion gibt es nicht',
    // Alerts on a 24 h move, repeating alerts, alerts that would fire at once; the watchlist
    'Leave out the move in percent: it is only for alerts on a 24 h move':
      'Lassen Sie die Bewegung in Prozent weg: Sie gilt nur für Alarme auf eine 24-h-Bewegung',
    'Leave out the target price: an alert on a 24 h move has none': 'Lassen Sie den Zielpreis weg: Ein Alarm auf eine 24-h-Bewegung hat keinen',
    'Choose true or false to confirm an alert that fires at once': 'Wählen Sie true oder false, um einen Alarm zu bestätigen, der sofort auslöst',
    '{symbol} already trades at {price}, at or above {target}: the alert would fire at once':
      '{symbol} notiert bereits bei {price}, auf oder über {target}: Der Alarm würde sofort auslösen',
    '{symbol} already trades at {price}, at or below {target}: the alert would fire at once':
      '{symbol} notiert bereits bei {price}, auf oder unter {target}: Der Alarm würde sofort auslösen',
    '{symbol} is already up {change} in 24 hours (at least {move}) at {price}: the alert would fire at once':
      '{symbol} ist in 24 Stunden bereits um {change} gestiegen (mindestens {move}) und notiert bei {price}: Der Alarm würde sofort auslösen',
    '{symbol} is already down {change} in 24 hours (at least {move}) at {price}: the alert would fire at once':
      '{symbol} ist in 24 Stunden bereits um {change} gefallen (mindestens {move}) und notiert bei {price}: Der Alarm würde sofort auslösen',
    'At most {max} assets fit in a watchlist; remove one first': 'Eine Watchlist fasst höchstens {max} Assets; entfernen Sie zuerst eines',

    // Wallet: deposits, withdrawals, the address book
    'No payout of this withdrawal is under way at the payment provider': 'Für diese Auszahlung läuft keine Überweisung beim Zahlungsanbieter',
    'The payout of this withdrawal is being sent right now; check with the provider again in a few minutes':
      'Die Überweisung dieser Auszahlung wird gerade gesendet; fragen Sie in ein paar Minuten erneut beim Anbieter nach',
    "The payment provider's payout does not match this withdrawal: {problems}":
      'Die Überweisung beim Zahlungsanbieter passt nicht zu dieser Auszahlung: {problems}',
    'The payment provider still reports this payout as {status}: it settles when the provider finishes it':
      'Der Zahlungsanbieter meldet diese Überweisung noch als {status}: Sie wird abgeschlossen, sobald der Anbieter sie beendet',
    'A payout of this withdrawal is under way at the payment provider: it completes when the provider confirms it, or its hold is released if it fails':
      'Für diese Auszahlung läuft eine Überweisung beim Zahlungsanbieter: Sie wird abgeschlossen, sobald der Anbieter sie bestätigt, oder der zurückgehaltene Betrag wird freigegeben, falls sie fehlschlägt',
    'Choose a currency to pay with: {choices}': 'Wählen Sie eine Währung zum Bezahlen: {choices}',
    'The payment provider is unavailable; try again shortly': 'Der Zahlungsanbieter ist nicht erreichbar; versuchen Sie es gleich noch einmal',
    'The payment provider answered inconsistently; try again': 'Der Zahlungsanbieter hat widersprüchlich geantwortet; versuchen Sie es erneut',
    'The webhook answered {httpStatus}': 'Der Webhook hat mit {httpStatus} geantwortet',
    'The x-nowpayments-sig signature does not match the body': 'Die Signatur x-nowpayments-sig passt nicht zum Body',
    'Deposit not found': 'Einzahlung nicht gefunden',
    'Choose what to deposit: {choices}': 'Wählen Sie, was Sie einzahlen: {choices}',
    'Give a dollar amount for a USD deposit': 'Geben Sie für eine USD-Einzahlung einen Dollarbetrag an',
    'Give a quantity of {asset}, not a dollar amount': 'Geben Sie eine Menge {asset} an, keinen Dollarbetrag',
    'A {asset} deposit is paid in {asset}': 'Eine {asset}-Einzahlung wird in {asset} bezahlt',
    '{asset} is not listed at the moment': '{asset} ist derzeit nicht gelistet',
    'A deposit is worth {min} to {max}; {quantity} is worth about {value}': 'Eine Einzahlung muss {min} bis {max} wert sein; {quantity} sind etwa {value} wert',
    'Turn on two-factor authentication before withdrawing': 'Aktivieren Sie die Zwei-Faktor-Authentifizierung, bevor Sie auszahlen',
    '{asset} cannot be withdrawn': '{asset} kann nicht ausgezahlt werden',
    '{asset} cannot be withdrawn (withdrawable: {assets})': '{asset} kann nicht ausgezahlt werden (auszahlbar: {assets})',
    '{asset} is withdrawn on {networks}, not {network}': '{asset} wird über {networks} ausgezahlt, nicht über {network}',
    'address is not a valid {asset} address on {network}: expected {hint}': 'Keine gültige {asset}-Adresse im Netzwerk {network}: erwartet wird {hint}',
    'The smallest {asset} withdrawal is {minimum} {asset}': 'Die kleinste {asset}-Auszahlung beträgt {minimum} {asset}',
    'Enter at least {minimum} {asset}': 'Geben Sie mindestens {minimum} {asset} ein',
    'Withdrawals are limited to {limit} USD per 24 hours; {left} USD left': 'Auszahlungen sind auf {limit} USD pro 24 Stunden begrenzt; noch {left} USD übrig',
    'Withdrawal not found': 'Auszahlung nicht gefunden',
    'The withdrawal is {status}; it cannot be {action}': 'Die Auszahlung ist {status}; sie kann nicht {action} werden',
    'Enter a reason of 3 to 300 characters': 'Geben Sie eine Begründung mit 3 bis 300 Zeichen ein',
    'Enter a reason of 3 to 500 characters': 'Geben Sie eine Begründung mit 3 bis 500 Zeichen ein',
    'Enter the transaction hash: 16 to 126 letters and digits, optionally after 0x':
      'Geben Sie den Transaktions-Hash ein: 16 bis 126 Buchstaben und Ziffern, optional nach 0x',
    'Choose one of your saved addresses': 'Wählen Sie eine Ihrer gespeicherten Adressen',
    'Enter a label of 1 to 64 characters': 'Geben Sie eine Bezeichnung mit 1 bis 64 Zeichen ein',
    'A label cannot contain < or > or control characters': 'Eine Bezeichnung darf weder < noch > noch Steuerzeichen enthalten',
    'Enter a network like bitcoin (see the withdrawal rules)': 'Geben Sie ein Netzwerk wie bitcoin ein (siehe Auszahlungsregeln)',
    'Enter the address (at most 128 characters)': 'Geben Sie die Adresse ein (höchstens 128 Zeichen)',
    'This address is already in your address book': 'Diese Adresse ist bereits in Ihrem Adressbuch',
    'An address book holds at most {max} addresses; remove one first': 'Ein Adressbuch fasst höchstens {max} Adressen; entfernen Sie zuerst eine',
    'Your address book is locked: no address can be added until you turn the lock off (that takes effect after a hold)':
      'Ihr Adressbuch ist gesperrt: Es können keine Adressen hinzugefügt werden, bis Sie die Sperre aufheben (das wird erst nach einer Wartezeit wirksam)',
    'The address book is not locked': 'Das Adressbuch ist nicht gesperrt',
    'Saved address not found': 'Gespeicherte Adresse nicht gefunden',
    'This address was removed from your address book': 'Diese Adresse wurde aus Ihrem Adressbuch entfernt',
    'This address receives {asset}, not {wanted}': 'Diese Adresse empfängt {asset}, nicht {wanted}',
    'Confirm this address with the link we emailed you before withdrawing to it':
      'Bestätigen Sie diese Adresse über den Link aus unserer E-Mail, bevor Sie an sie auszahlen',
    'This address is new: it can be used from {from}': 'Diese Adresse ist neu: Sie kann ab {from} verwendet werden',
    'usable from {from}': 'verwendbar ab {from}',
    removed: 'entfernt',
    'receives {asset}': 'empfängt {asset}',
    'not confirmed': 'nicht bestätigt',

    // Admins
    'This requires the admin role': 'Dafür ist die Admin-Rolle erforderlich',
    'Admins must turn on two-factor authentication (in Settings) before using the back office':
      'Admins müssen die Zwei-Faktor-Authentifizierung (in den Einstellungen) aktivieren, bevor sie die Verwaltung nutzen',
    'A valid X-Setup-Token header is required': 'Ein gültiger X-Setup-Token-Header ist erforderlich',
    'An admin already exists; admins manage roles from now on': 'Es gibt bereits einen Admin; Rollen verwalten ab jetzt die Admins',
    'No account with this email': 'Kein Konto mit dieser E-Mail-Adresse',
    'The account must verify its email first': 'Das Konto muss zuerst seine E-Mail-Adresse bestätigen',
    'No such user': 'Diesen Benutzer gibt es nicht',
    'Admins cannot suspend themselves': 'Admins können sich nicht selbst suspendieren',
    'An admin cannot be suspended; remove the admin role first (a second admin approves that)':
      'Ein Admin kann nicht suspendiert werden; entziehen Sie zuerst die Admin-Rolle (ein zweiter Admin genehmigt das)',
    'An admin cannot turn two-factor authentication off; another admin can remove the admin role first':
      'Ein Admin kann die Zwei-Faktor-Authentifizierung nicht deaktivieren; ein anderer Admin kann zuerst die Admin-Rolle entziehen',
    'Roles change through POST /api/admin/users/:id/role (a step-up, then a second admin approves)':
      'Rollen werden über POST /api/admin/users/:id/role geändert (nach einer Identitätsbestätigung genehmigt ein zweiter Admin)',
    'Send suspended: true or false': 'Senden Sie suspended: true oder false',
    'Choose true (suspend) or false (lift the suspension)': 'Wählen Sie true (suspendieren) oder false (Suspendierung aufheben)',
    'Enter text to search for': 'Geben Sie einen Suchtext ein',
    'Search for at most 254 characters': 'Suchen Sie nach höchstens 254 Zeichen',
    'Enter an action name like admin.user_suspended (lower-case letters, digits, _ and .)':
      'Geben Sie einen Aktionsnamen wie admin.user_suspended ein (Kleinbuchstaben, Ziffern, _ und .)',
    'You cannot change your own role; another admin can': 'Sie können Ihre eigene Rolle nicht ändern; das kann ein anderer Admin',
    'A role change of this account is already waiting for approval': 'Für dieses Konto wartet bereits eine Rollenänderung auf Genehmigung',
    'No other admin can approve this change: send the server’s setup token (ADMIN_SETUP_TOKEN) in X-Setup-Token to make it now':
      'Kein anderer Admin kann diese Änderung genehmigen: Senden Sie das Setup-Token des Servers (ADMIN_SETUP_TOKEN) in X-Setup-Token, um sie jetzt vorzunehmen',
    'A second admin must approve: not the admin who asked, nor the account concerned':
      'Ein zweiter Admin muss genehmigen: weder der Admin, der die Änderung beantragt hat, noch das betroffene Konto',
    'The admin who asked for this change no longer is one: reject it': 'Der Admin, der diese Änderung beantragt hat, ist keiner mehr: Lehnen Sie sie ab',
    'The account concerned cannot decide its own role change': 'Das betroffene Konto kann nicht über seine eigene Rollenänderung entscheiden',
    'No such role change': 'Diese Rollenänderung gibt es nicht',
    'This role change was already {roleChangeStatus}': 'Diese Rollenänderung wurde bereits {roleChangeStatus}',
    'This account is already an admin': 'Dieses Konto ist bereits Admin',
    'This account is not an admin': 'Dieses Konto ist kein Admin',
    'The last admin cannot lose the role; make another admin first':
      'Der letzte Admin kann die Rolle nicht verlieren; machen Sie zuerst ein anderes Konto zum Admin',
    'Only an account with a verified email address can become an admin': 'Nur ein Konto mit bestätigter E-Mail-Adresse kann Admin werden',
    'A suspended or frozen account cannot become an admin': 'Ein suspendiertes oder eingefrorenes Konto kann nicht Admin werden',
    'Only an account with two-factor authentication on can become an admin: ask its owner to turn it on first':
      'Nur ein Konto mit aktivierter Zwei-Faktor-Authentifizierung kann Admin werden: Bitten Sie zuerst den Inhaber, sie zu aktivieren',
    'Choose the user to adjust (a user id)': 'Wählen Sie das zu korrigierende Konto (eine Benutzer-ID)',
    'Enter an amount other than 0': 'Geben Sie einen Betrag ungleich 0 ein',
    'Admins cannot adjust their own account; another admin must do it': 'Admins können ihr eigenes Konto nicht korrigieren; das muss ein anderer Admin tun',
    'Admins cannot approve an adjustment of their own account': 'Admins können keine Korrektur ihres eigenen Kontos genehmigen',
    'No such ledger adjustment': 'Diese Buchungskorrektur gibt es nicht',
    'A different admin must {action} this adjustment: you requested it': 'Ein anderer Admin muss diese Korrektur {action}: Sie haben sie beantragt',
    'The adjustment is {adjustmentStatus}; only pending adjustments can be approved':
      'Die Korrektur ist {adjustmentStatus}; nur ausstehende Korrekturen können genehmigt werden',
    'The adjustment is {adjustmentStatus}; only pending adjustments can be rejected':
      'Die Korrektur ist {adjustmentStatus}; nur ausstehende Korrekturen können abgelehnt werden',
    'Admins cannot approve their own withdrawals': 'Admins können ihre eigenen Auszahlungen nicht genehmigen',
    'You already approved this withdrawal; a different admin must give the second approval':
      'Sie haben diese Auszahlung bereits genehmigt; die zweite Genehmigung muss ein anderer Admin erteilen',
    'This movement was already recorded': 'Diese Buchung wurde bereits erfasst',
    'The amount is larger than an account can hold': 'Der Betrag ist größer, als ein Konto fassen kann',
    'This lot was bought here: its cost basis is the price paid and cannot be changed':
      'Diese Position wurde hier gekauft: Ihr Einstandswert ist der gezahlte Preis und kann nicht geändert werden',
    'Enter a day like 2027-01-01': 'Geben Sie einen Tag wie 2027-01-01 ein',
    'Choose today or a later day: disposals already made keep their method':
      'Wählen Sie heute oder einen späteren Tag: bereits getätigte Veräußerungen behalten ihre Methode',
    'Choose a day within a year from today': 'Wählen Sie einen Tag innerhalb eines Jahres ab heute',
    'Choose true (to your own wallet) or false (to someone else)': 'Wählen Sie true (an Ihre eigene Wallet) oder false (an jemand anderen)',
    'Enter a year like 2026 (2009 or later)': 'Geben Sie ein Jahr wie 2026 ein (2009 oder später)',
  },
  phrases: {
    // Labels of numbers and fields, as the object of "Geben Sie … ein" (accusative)
    'a number': 'eine Zahl',
    'an amount': 'einen Betrag',
    'a cost in dollars': 'einen Einstandswert in Dollar',
    'an amount in USD': 'einen Betrag in USD',
    'a quantity': 'eine Menge',
    'a limit price': 'einen Limitpreis',
    'a stop price': 'einen Stop-Preis',
    'a target price': 'einen Zielpreis',
    'a move in percent': 'eine Bewegung in Prozent',
    'a cooldown in seconds': 'eine Wartezeit in Sekunden',
    'an average cost': 'einen durchschnittlichen Einstandspreis',
    'an amount to convert': 'einen Betrag zum Umtauschen',
    'an amount to receive': 'einen zu erhaltenden Betrag',
    'how many to show': 'die Anzahl der Einträge pro Seite',
    'a number of days': 'eine Anzahl von Tagen',
    'the start': 'den Beginn',
    'the expiry': 'das Ablaufdatum',
    'the purchase date': 'das Kaufdatum',
    'the end': 'das Ende',
    'the first buy': 'den ersten Kauf',
    'a UUID': 'eine UUID',
    'a whole number below 2^63': 'eine ganze Zahl unter 2^63',
    // Orders
    'orderType:market': 'Market',
    'orderType:limit': 'Limit',
    'orderType:stop': 'Stop',
    'side:buy': 'kaufen',
    'side:sell': 'verkaufen',
    // States (German adjectives after "ist" do not change with the noun)
    'status:open': 'offen',
    'status:filled': 'ausgeführt',
    'status:pending': 'ausstehend',
    'status:approved': 'genehmigt',
    'status:completed': 'abgeschlossen',
    'status:rejected': 'abgelehnt',
    'status:cancelled': 'storniert',
    'status:active': 'aktiv',
    'status:paused': 'pausiert',
    'status:deleted': 'gelöscht',
    'adjustmentStatus:pending': 'ausstehend',
    'adjustmentStatus:posted': 'gebucht',
    'adjustmentStatus:rejected': 'abgelehnt',
    'roleChangeStatus:approved': 'genehmigt',
    'roleChangeStatus:rejected': 'abgelehnt',
    'roleChangeStatus:withdrawn': 'zurückgezogen',
    // What cannot be done ("kann nicht … werden"), what another admin must do
    'action:approved': 'genehmigt',
    'action:completed': 'abgeschlossen',
    'action:rejected': 'abgelehnt',
    'action:cancelled': 'storniert',
    'action:approve': 'genehmigen',
    'action:reject': 'ablehnen',
    // Passkey challenges ("eine Challenge zur …")
    'purpose:registration': 'Registrierung',
    'purpose:sign-in': 'Anmeldung',
    'purpose:confirmation': 'Bestätigung',
    // Why withdrawals are on hold ("weil …", as the client's de.json)
    'your password was reset': 'Ihr Passwort zurückgesetzt wurde',
    'two-factor authentication was changed': 'die Zwei-Faktor-Authentifizierung geändert wurde',
    'your account was unfrozen': 'Ihr Konto entsperrt wurde',
    'your email address was changed': 'Ihre E-Mail-Adresse geändert wurde',
    'a passkey was changed': 'ein Passkey geändert wurde',
    'a security change was made': 'eine Sicherheitsänderung vorgenommen wurde',
    // What a frozen account is refused ("bis dahin werden … abgelehnt")
    'withdrawals and security changes are': 'Auszahlungen und Sicherheitsänderungen',
    'signing in, withdrawals and security changes are': 'Anmeldungen, Auszahlungen und Sicherheitsänderungen',
    // What a withdrawal address looks like
    'a bech32 (bc1…) or base58check (1…, 3…) Bitcoin address': 'eine Bitcoin-Adresse im Format bech32 (bc1…) oder base58check (1…, 3…)',
    '0x followed by 40 hex digits (EIP-55 checksum when mixed case)':
      '0x, gefolgt von 40 Hex-Ziffern (EIP-55-Prüfsumme bei gemischter Groß- und Kleinschreibung)',
    'a base58check Tron address starting with T': 'eine base58check-Tron-Adresse, die mit T beginnt',
    'a bech32 (ltc1…) or base58check (L…, M…) Litecoin address': 'eine Litecoin-Adresse im Format bech32 (ltc1…) oder base58check (L…, M…)',
    'a base58 Solana address (32 bytes)': 'eine base58-Solana-Adresse (32 Bytes)',
    'a classic XRP address starting with r': 'eine klassische XRP-Adresse, die mit r beginnt',
    'a base58check Dogecoin address starting with D': 'eine base58check-Dogecoin-Adresse, die mit D beginnt',
  },
};
