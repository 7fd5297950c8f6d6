import type { ErrorCatalogue } from './error-messages';

/**
 * Spanish error messages, in the tone and words of the client (src/locale/es.json, which addresses the customer as
 * tú: "Introduce…", "tu cuenta"): retirada, verificación en dos pasos, llave de acceso, app de autenticación, código
 * de respaldo, confirmar tu identidad, libreta de direcciones, símbolo (ticker), activo, alerta, administrador.
 * Keys are the English messages (see ErrorCatalogue); error-messages.catalogue.spec.ts checks that every message the
 * API can answer has an entry here, with the same placeholders.
 */
export const ES: ErrorCatalogue = {
  locale: 'es-ES',
  or: 'o',
  messages: {
    // API keys (auth/api-keys)
    'No such API key': 'Esa clave de API no existe',
    'You can have at most {max} active API keys: revoke one first': 'Puedes tener como máximo {max} claves de API activas: revoca una primero',
    'The API key signature does not verify: sign the request as API.md "API keys" describes, with this key':
      'La firma de la clave de API no es válida: firma la solicitud con esta clave como describe API.md «API keys»',
    'Missing or malformed {field} header: sign the request as API.md "API keys" describes':
      'Falta la cabecera {field} o no es válida: firma la solicitud como describe API.md «API keys»',
    "The request's CV-API-TIMESTAMP is more than {seconds} seconds away from the server's clock: send the current time in milliseconds since 1970 (check the clock of the machine that signs)":
      'El CV-API-TIMESTAMP de la solicitud se aleja más de {seconds} segundos del reloj del servidor: envía la hora actual en milisegundos desde 1970 (revisa el reloj de la máquina que firma)',
    'This API key was revoked: create a new one under Settings → API keys': 'Esta clave de API fue revocada: crea una nueva en Ajustes → Claves de API',
    'This API key has expired: create a new one under Settings → API keys': 'Esta clave de API ha caducado: crea una nueva en Ajustes → Claves de API',
    "This API key does not accept requests from your address: add it to the key's IP allowlist":
      'Esta clave de API no acepta solicitudes desde tu dirección: añádela a la lista de IP permitidas de la clave',
    'This CV-API-NONCE was used before: send a new nonce with every request': 'Este CV-API-NONCE ya se usó: envía un nonce nuevo con cada solicitud',
    'Signed requests cannot be checked for replays right now; please retry shortly':
      'Ahora mismo no se puede comprobar si las solicitudes firmadas son repeticiones; vuelve a intentarlo en un momento',
    'This public key is published (our documentation’s example or a standard test key), so anyone has its private key: make your own key pair':
      'Esta clave pública está publicada (el ejemplo de nuestra documentación o una clave de prueba estándar), así que cualquiera tiene su clave privada: crea tu propio par de claves',
    'Make a new key pair and paste its public key: this one is published': 'Crea un par de claves nuevo y pega su clave pública: esta está publicada',
    'Turn on two-factor authentication before creating a key that can withdraw':
      'Activa la verificación en dos pasos antes de crear una clave que pueda hacer retiradas',
    'A key that can withdraw needs a fresh confirmation: enter a new code from your authenticator app (or a backup code), or confirm with a passkey':
      'Una clave que puede hacer retiradas necesita una confirmación nueva: introduce un código nuevo de tu app de autenticación (o un código de respaldo), o confirma con una llave de acceso',
    'This account is frozen: reset your password by email to unfreeze it': 'Esta cuenta está congelada: restablece tu contraseña por correo para descongelarla',
    'API keys cannot be used here: sign in to the app for this': 'Aquí no se pueden usar claves de API: inicia sesión en la app para esto',
    'This API key lacks the {scope} scope: create a key with it under Settings → API keys':
      'A esta clave de API le falta el permiso {scope}: crea una clave con él en Ajustes → Claves de API',
    'Paste an Ed25519 public key: base64 of its 32 bytes, or a PEM "PUBLIC KEY"':
      'Pega una clave pública Ed25519: base64 de sus 32 bytes, o una «PUBLIC KEY» en PEM',
    'Enter at most 20 IP addresses or CIDR blocks such as 203.0.113.7 or 2001:db8::/32':
      'Introduce como máximo 20 direcciones IP o bloques CIDR como 203.0.113.7 o 2001:db8::/32',
    'A key that can withdraw allows at most a /24 (IPv4) or /48 (IPv6) block per entry: enter your servers’ own addresses':
      'Una clave que puede retirar admite como máximo un bloque /24 (IPv4) o /48 (IPv6) por entrada: introduce las direcciones de tus propios servidores',
    'A key that can withdraw needs an IP allowlist: enter the addresses your servers send from':
      'Una clave que puede retirar necesita una lista de IP permitidas: introduce las direcciones desde las que envían tus servidores',
    'Choose an expiry in the future, at most a year ahead': 'Elige una caducidad en el futuro, como máximo dentro de un año',
    'Choose one or more of read, trade and withdraw': 'Elige uno o varios de read, trade y withdraw',
    // Webhooks (auth/api-keys/webhooks)
    'An API key can have at most {max} webhook endpoints: delete one first':
      'Una clave de API puede tener como máximo {max} endpoints de webhook: elimina uno primero',
    'Your API keys can have at most {max} webhook endpoints together: delete one first':
      'Tus claves de API pueden tener como máximo {max} endpoints de webhook en total: elimina uno primero',
    'No such webhook endpoint': 'Ese endpoint de webhook no existe',
    'No such event at this webhook endpoint': 'Ese evento no existe en este endpoint de webhook',
    'This event was just sent to this endpoint: redeliver it again in a moment':
      'Este evento se acaba de enviar a este endpoint: vuelve a entregarlo en un momento',
    'This event is being delivered right now: look at the delivery log in a moment':
      'Este evento se está entregando ahora mismo: consulta el registro de entregas en un momento',
    'This API key is revoked or expired: its webhooks receive nothing': 'Esta clave de API está revocada o ha caducado: sus webhooks no reciben nada',
    'The host {host} does not resolve: check the URL': 'El host {host} no se puede resolver: revisa la URL',
    'Webhooks go only to public addresses, and {host} is a private, loopback, link-local or reserved one':
      'Los webhooks solo se envían a direcciones públicas, y {host} es una dirección privada, de loopback, de enlace local o reservada',
    'Enter a URL of at most 2048 characters': 'Introduce una URL de como máximo 2048 caracteres',
    'Enter a URL starting with https://': 'Introduce una URL que empiece por https://',
    'Enter a URL starting with https:// or http://': 'Introduce una URL que empiece por https:// o http://',
    'Leave the user name and password out of the URL: check the signature instead':
      'Quita el usuario y la contraseña de la URL: comprueba la firma en su lugar',
    'Enter a URL with a host name': 'Introduce una URL con un nombre de host',
    'Choose one or more of order.filled, order.cancelled, deposit.credited, withdrawal.updated and alert.triggered':
      'Elige uno o varios de order.filled, order.cancelled, deposit.credited, withdrawal.updated y alert.triggered',
    // Proof of reserves
    'A proof-of-reserves snapshot is being taken; try again in a minute': 'Se está creando una prueba de reservas; inténtalo de nuevo en un minuto',
    'No proof-of-reserves snapshot has been published yet': 'Todavía no se ha publicado ninguna prueba de reservas',
    'Your account had no balance when the latest proof-of-reserves snapshot was taken, so it has no leaf in it':
      'Tu cuenta no tenía saldo cuando se creó la última prueba de reservas, así que no figura en ella',
    // Statements
    'Choose a month like 2026-06 (year and month)': 'Elige un mes como 2026-06 (año y mes)',
    'Choose a month from {earliest} to {latest}': 'Elige un mes entre {earliest} y {latest}',
    'This month has {count} movements, more than a PDF statement holds ({max}); download the CSV instead':
      'Este mes tiene {count} movimientos, más de los que caben en un extracto en PDF ({max}); descarga el CSV',
    // Your data: exports and closing the account
    'An export of your data is already being made; wait until it is ready': 'Ya se está preparando una exportación de tus datos; espera a que esté lista',
    'You have requested the most exports of your data a day allows; try again later':
      'Ya has pedido hoy todas las exportaciones de tus datos permitidas; inténtalo más tarde',
    'No such export': 'Esa exportación no existe',
    'This download link is invalid or has expired; ask for a new one': 'Este enlace de descarga no es válido o ha caducado; pide uno nuevo',
    'This download link is incomplete: ask for a new one': 'Este enlace de descarga está incompleto: pide uno nuevo',
    'This export has expired; request a new one': 'Esta exportación ha caducado; pide una nueva',
    'This export is not ready yet': 'Esta exportación todavía no está lista',
    'Type your email address to confirm': 'Escribe tu correo electrónico para confirmar',
    'This is not the email address of your account': 'Este no es el correo electrónico de tu cuenta',
    'Your account can be closed only when nothing is left in it: withdraw your balances and finish your open orders, withdrawals and deposits first':
      'Solo puedes cerrar tu cuenta cuando no quede nada en ella: primero retira tus saldos y termina tus órdenes, retiradas y depósitos abiertos',
    'Withdraw or sell this balance first': 'Primero retira o vende este saldo',
    'Cancel your open orders first': 'Primero cancela tus órdenes abiertas',
    'Wait for your withdrawals to complete, or cancel them, first': 'Primero espera a que se completen tus retiradas, o cancélalas',
    'Wait for your pending deposits to be credited or to expire first': 'Primero espera a que tus depósitos pendientes se abonen o caduquen',
    // Sign-up, sign-in, sessions
    'Authentication required': 'Tienes que iniciar sesión',
    'An account with this email already exists': 'Ya existe una cuenta con este correo electrónico',
    'The email or the password is wrong': 'El correo electrónico o la contraseña no son correctos',
    'The password is wrong': 'La contraseña no es correcta',
    'Too many failed sign-ins; try again in {minutes} min': 'Demasiados inicios de sesión fallidos; vuelve a intentarlo dentro de {minutes} min',
    'This account is suspended': 'Esta cuenta está suspendida',
    'The account no longer exists': 'La cuenta ya no existe',
    'Verify your email address first (see the code we sent)': 'Verifica primero tu dirección de correo (con el código que te enviamos)',
    'Sign in first: send an access token as a Bearer header or the access_token cookie':
      'Inicia sesión primero: envía un token de acceso como cabecera Bearer o en la cookie access_token',
    'The access token is invalid or expired': 'El token de acceso no es válido o ha caducado',
    'Not an access token': 'No es un token de acceso',
    'This session has ended; sign in again': 'Esta sesión ha terminado; vuelve a iniciar sesión',
    'The refresh token is invalid': 'El token de renovación no es válido',
    'The refresh token has expired; sign in again': 'El token de renovación ha caducado; vuelve a iniciar sesión',
    'This refresh token was already used; the session has been ended for safety':
      'Este token de renovación ya se había usado; por seguridad, se ha cerrado la sesión',
    'Send the refresh token (refresh_token cookie or {refreshToken})': 'Envía el token de renovación (cookie refresh_token o {refreshToken})',
    'Send the refresh token as text': 'Envía el token de renovación como texto',
    'That refresh token is too long (at most 4096 characters)': 'Ese token de renovación es demasiado largo (como máximo 4096 caracteres)',
    'No such active session': 'No existe esa sesión activa',

    // Email verification, password reset, email change, links
    'The verification code or link is invalid or has expired': 'El código o el enlace de verificación no es válido o ha caducado',
    'invalid or expired; request a new one': 'no es válido o ha caducado; solicita uno nuevo',
    'Send either token, or email and code': 'Envía token, o bien email y code',
    'send either token, or email and code': 'envía token, o bien email y code',
    'Enter the 6-digit code from the email': 'Introduce el código de 6 dígitos del correo',
    'This link is incomplete: open it again from the email': 'Este enlace está incompleto: vuelve a abrirlo desde el correo',
    'The reset link is invalid, used or expired': 'El enlace de restablecimiento no es válido, ya se ha usado o ha caducado',
    'The confirmation link is invalid, used or expired': 'El enlace de confirmación no es válido, ya se ha usado o ha caducado',
    'invalid, used or expired': 'no es válido, ya se ha usado o ha caducado',
    'invalid, used or expired; request a new link': 'no es válido, ya se ha usado o ha caducado; solicita un enlace nuevo',
    'invalid, used or expired; ask for the change again from Settings': 'no es válido, ya se ha usado o ha caducado; solicita de nuevo el cambio en Ajustes',
    'invalid, used or expired; add the address again for a new link':
      'no es válido, ya se ha usado o ha caducado; vuelve a añadir la dirección para recibir un enlace nuevo',
    'That is already your sign-in address': 'Esa ya es tu dirección de inicio de sesión',
    'This address has meanwhile been registered by another account; ask for the change again with another address':
      'Entretanto, otra cuenta ha registrado esta dirección; solicita de nuevo el cambio con otra dirección',

    // Form fields
    'Enter a valid email address': 'Introduce una dirección de correo electrónico válida',
    'That email address is too long (at most 254 characters)': 'Esa dirección de correo es demasiado larga (como máximo 254 caracteres)',
    'Enter a name of 2 to 100 characters': 'Introduce un nombre de 2 a 100 caracteres',
    'Enter a name of 1 to 64 characters': 'Introduce un nombre de 1 a 64 caracteres',
    'A name cannot contain control characters': 'Un nombre no puede contener caracteres de control',
    'Enter your password': 'Introduce tu contraseña',
    'Enter a password': 'Introduce una contraseña',
    'Use at least {min} characters': 'Usa al menos {min} caracteres',
    'That password is too long (at most {max} characters)': 'Esa contraseña es demasiado larga (como máximo {max} caracteres)',
    'That password is too long (at most 128 characters)': 'Esa contraseña es demasiado larga (como máximo 128 caracteres)',
    'Add at least one letter': 'Añade al menos una letra',
    'Add at least one digit': 'Añade al menos un dígito',
    'That password is too common: choose one that is not on lists of breached passwords':
      'Esa contraseña es demasiado común: elige una que no aparezca en listas de contraseñas filtradas',
    '{field} is not an allowed field': '{field} no es un campo permitido',
    'Some fields are invalid': 'Algunos campos no son válidos',
    '{field} must be {idKind}': '{field} debe ser {idKind}',
    'Enter a valid {field} (an id like 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)': 'Introduce un {field} válido (un ID como 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)',
    'Enter a valid user id (like 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)': 'Introduce un ID de usuario válido (como 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)',
    'This page link no longer works; start again from the first page': 'Este enlace de página ya no funciona; vuelve a empezar desde la primera página',
    'Choose {what} from {min} to {max}': 'Elige {what} entre {min} y {max}',
    'Choose {choices}': 'Elige {choices}',
    'Enter {what} as a date and time like {example}': 'Introduce {what} como fecha y hora, por ejemplo {example}',
    'Choose a date between the years {min} and {max}': 'Elige una fecha entre los años {min} y {max}',
    'Choose an end that is not before the start': 'Elige un final que no sea anterior al inicio',
    'Enter a ticker like BTC (up to {max} letters and digits)': 'Introduce un símbolo como BTC (hasta {max} letras y dígitos)',
    'Enter a ticker like BTC ({min} to {max} letters and digits)': 'Introduce un símbolo como BTC (de {min} a {max} letras y dígitos)',
    'Idempotency-Key must be 1-200 letters, digits or ._:-': 'La Idempotency-Key debe tener de 1 a 200 letras, dígitos o ._:-',
    'Idempotency-Key must be 1–200 letters, digits or _ . : -': 'La Idempotency-Key debe tener de 1 a 200 letras, dígitos o _ . : -',

    // Numbers (IsDecimalString)
    'Enter {label}, like {example}': 'Introduce {label}, por ejemplo {example}',
    'Send {label} as text in quotes, like "{example}"': 'Envía {label} como texto entre comillas, por ejemplo "{example}"',
    'Enter {label} like 250 or 0.5': 'Introduce {label} como 250 o 0.5',
    'Enter {label} like 250 or 12.50': 'Introduce {label} como 250 o 12.50',
    'Enter {label} like 100 or -100': 'Introduce {label} como 100 o -100',
    'That number is too large (at most {max})': 'Ese número es demasiado grande (como máximo {max})',
    'That number is too large (at most {max} either way)': 'Ese número es demasiado grande (como máximo {max} en valor absoluto)',
    'That number is too large (at most {digits} digits before the point)': 'Ese número es demasiado grande (como máximo {digits} dígitos antes de la coma)',
    'That number is too large (at most {digits} digits before the point either way)':
      'Ese número es demasiado grande (como máximo {digits} dígitos antes de la coma, en valor absoluto)',
    'Enter {label} more than {min}': 'Introduce {label} mayor que {min}',
    'Enter {label} of {min} or more': 'Introduce {label} de {min} o más',
    'Use a whole number, without decimals': 'Usa un número entero, sin decimales',
    'Use at most {max} decimals': 'Usa como máximo {max} decimales',

    // Two-factor authentication, passkeys, confirming it is you
    'Enter the 6-digit code from your authenticator app': 'Introduce el código de 6 dígitos de tu app de autenticación',
    'Enter the 6-digit code from your authenticator app, or a backup code':
      'Introduce el código de 6 dígitos de tu app de autenticación o un código de respaldo',
    'Enter the 6-digit code from your authenticator app, or confirm with a passkey':
      'Introduce el código de 6 dígitos de tu app de autenticación o confirma con una llave de acceso',
    'Enter the code from your authenticator app (or a backup code), or use a passkey':
      'Introduce el código de tu app de autenticación (o un código de respaldo), o usa una llave de acceso',
    'The two-factor code is not valid': 'El código de verificación en dos pasos no es válido',
    'The two-factor code is not valid (each code works once)': 'El código de verificación en dos pasos no es válido (cada código sirve una sola vez)',
    'Two-factor authentication is on: enter the code from your authenticator app (or a backup code) too':
      'La verificación en dos pasos está activada: introduce también el código de tu app de autenticación (o un código de respaldo)',
    'Two-factor authentication is already on': 'La verificación en dos pasos ya está activada',
    'Two-factor authentication is already on; disable it first': 'La verificación en dos pasos ya está activada; desactívala primero',
    'Two-factor authentication is not on': 'La verificación en dos pasos no está activada',
    'Turn on two-factor authentication first': 'Activa primero la verificación en dos pasos',
    'Two-factor enrolment changed meanwhile; start again': 'Entretanto, ha cambiado la configuración de la verificación en dos pasos; vuelve a empezar',
    'Start with POST /api/auth/2fa/setup': 'Empieza con POST /api/auth/2fa/setup',
    'Enter your password, or confirm with a passkey': 'Introduce tu contraseña o confirma con una llave de acceso',
    'Confirm it is you first: this change needs your password (and your two-factor code when 2FA is on) from this session within the last few minutes (POST /api/auth/step-up), then try again':
      'Primero confirma tu identidad: este cambio necesita tu contraseña (y tu código de verificación en dos pasos, si la tienes activada) en esta sesión durante los últimos minutos (POST /api/auth/step-up); después, vuelve a intentarlo',
    'Other confirmations of this account are being checked; try again in a moment':
      'Se están comprobando otras confirmaciones de esta cuenta; vuelve a intentarlo en un momento',
    'The confirmation failed, and there have now been too many failed confirmations from this account: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'La confirmación ha fallado y ya ha habido demasiadas confirmaciones fallidas desde esta cuenta: las retiradas y los cambios de seguridad (confirmaciones de identidad: cambios de la verificación en dos pasos, de la contraseña y del correo) quedan bloqueados durante {minutes} min. Restablecer la contraseña por correo y cerrar sesión siguen funcionando.',
    'The confirmation failed, and there have now been too many failed confirmations from this session: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'La confirmación ha fallado y ya ha habido demasiadas confirmaciones fallidas en esta sesión: las retiradas y los cambios de seguridad (confirmaciones de identidad: cambios de la verificación en dos pasos, de la contraseña y del correo) quedan bloqueados durante {minutes} min. Restablecer la contraseña por correo y cerrar sesión siguen funcionando.',
    'There have been too many failed confirmations from this account: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'Ha habido demasiadas confirmaciones fallidas desde esta cuenta: las retiradas y los cambios de seguridad (confirmaciones de identidad: cambios de la verificación en dos pasos, de la contraseña y del correo) quedan bloqueados durante {minutes} min. Restablecer la contraseña por correo y cerrar sesión siguen funcionando.',
    'There have been too many failed confirmations from this session: withdrawals and security changes (step-up confirmations: two-factor, password and email changes) are locked for {minutes} min. Resetting the password by email and signing out still work.':
      'Ha habido demasiadas confirmaciones fallidas en esta sesión: las retiradas y los cambios de seguridad (confirmaciones de identidad: cambios de la verificación en dos pasos, de la contraseña y del correo) quedan bloqueados durante {minutes} min. Restablecer la contraseña por correo y cerrar sesión siguen funcionando.',
    'The passkey could not be verified': 'No se ha podido verificar la llave de acceso',
    'The passkey could not be verified; try again': 'No se ha podido verificar la llave de acceso; vuelve a intentarlo',
    'The passkey could not be verified for this site; try again': 'No se ha podido verificar la llave de acceso para este sitio; vuelve a intentarlo',
    'The passkey did not answer completely: try it again': 'La llave de acceso no ha respondido por completo: vuelve a intentarlo',
    'This passkey answers no registration of this session (or it expired); start again':
      'Esta llave de acceso no corresponde a ningún registro de esta sesión (o ha caducado); vuelve a empezar',
    'This is not the answer to a {purpose} challenge': 'Esta no es la respuesta a un desafío de {purpose}',
    'This passkey is already registered': 'Esta llave de acceso ya está registrada',
    'No such passkey': 'No existe esa llave de acceso',
    'No passkey is registered on this account': 'Esta cuenta no tiene ninguna llave de acceso registrada',
    'An account can hold {max} passkeys; remove one first': 'Una cuenta puede tener como máximo {max} llaves de acceso; elimina primero una',
    'userHandle must be base64url': 'userHandle debe estar en base64url',
    '{field} must be base64url': '{field} debe estar en base64url',

    // Frozen accounts and security holds
    'This account is frozen because its owner reported activity that wasn\'t theirs. To unfreeze it, reset your password by email ("Forgot password"); until then {refused} refused.':
      'Esta cuenta está congelada porque su titular informó de actividad que no era suya. Para descongelarla, restablece tu contraseña por correo («¿Has olvidado tu contraseña?»); hasta entonces, se rechazan {refused}.',
    'This "This wasn\'t me" link is invalid, already used or expired. If you still need help, reset your password by email.':
      'Este enlace «No he sido yo» no es válido, ya se ha usado o ha caducado. Si aún necesitas ayuda, restablece tu contraseña por correo.',
    'Withdrawals are on hold until {until} because {reason}. This protects you if someone else made the change.':
      'Las retiradas están en espera hasta el {until} porque {reason}. Así te protegemos si otra persona hizo el cambio.',

    // Requests, CSRF, limits, the server
    'Missing or invalid CSRF token: send the csrf_token cookie value in the X-CSRF-Token header (GET /api/csrf)':
      'Falta el token CSRF o no es válido: envía el valor de la cookie csrf_token en la cabecera X-CSRF-Token (GET /api/csrf)',
    "State-changing requests are accepted from this application's own pages only":
      'Las solicitudes que hacen cambios solo se aceptan desde las páginas de esta aplicación',
    'Too many attempts. Please try again in 1 second.': 'Demasiados intentos. Vuelve a intentarlo dentro de 1 segundo.',
    'Too many attempts. Please try again in {seconds} seconds.': 'Demasiados intentos. Vuelve a intentarlo dentro de {seconds} segundos.',
    'Too many attempts. Please try again in {minutes} minutes.': 'Demasiados intentos. Vuelve a intentarlo dentro de {minutes} minutos.',
    'This Idempotency-Key was already used with a different request': 'Esta Idempotency-Key ya se ha usado con otra solicitud',
    'A request with this Idempotency-Key is still in progress': 'Todavía se está procesando una solicitud con esta Idempotency-Key',
    'Send the request body as JSON (Content-Type: application/json)': 'Envía el cuerpo de la solicitud como JSON (Content-Type: application/json)',
    'The request body is not valid JSON': 'El cuerpo de la solicitud no es un JSON válido',
    'The request body could not be read': 'No se ha podido leer el cuerpo de la solicitud',
    'The request body is larger than the {size} MB limit': 'El cuerpo de la solicitud supera el límite de {size} MB',
    'The request body is larger than the {size} KB limit': 'El cuerpo de la solicitud supera el límite de {size} KB',
    'The request body is larger than the {size} byte limit': 'El cuerpo de la solicitud supera el límite de {size} bytes',
    'The request body is nested deeper than {max} levels': 'El cuerpo de la solicitud tiene más de {max} niveles de anidamiento',
    'JSON bodies must be UTF-8, not {charset}': 'Los cuerpos JSON deben estar en UTF-8, no en {charset}',
    'No such route': 'No existe esa ruta',
    'Not found': 'No encontrado',
    'You are not allowed to do this': 'No tienes permiso para hacer esto',
    'Something went wrong on our side. It has been logged.': 'Algo ha salido mal por nuestra parte. Hemos registrado el error.',
    'A service we depend on is unavailable; please retry shortly': 'Un servicio del que dependemos no está disponible; vuelve a intentarlo en breve',
    'The request took too long; please retry': 'La solicitud ha tardado demasiado; vuelve a intentarlo',
    'The database is busy; please retry shortly': 'La base de datos está ocupada; vuelve a intentarlo en breve',
    'Send the metrics token as a Bearer header': 'Envía el token de métricas como cabecera Bearer',
    'Metrics are served to loopback callers only while METRICS_TOKEN is unset':
      'Mientras METRICS_TOKEN no esté definido, las métricas solo se sirven a clientes de la interfaz de loopback',

    // Markets, prices, orders, portfolio
    'Choose a range: {choices}': 'Elige un periodo: {choices}',
    'Choose a purchase date that is not in the future': 'Elige una fecha de compra que no sea futura',
    'Choose a purchase date in 2009 or later': 'Elige una fecha de compra de 2009 en adelante',
    'No such tracked lot': 'Ese lote registrado no existe',
    'Unknown asset {symbol}': 'Activo desconocido: {symbol}',
    '{symbol} is not a listed asset': '{symbol} no es un activo listado',
    'No asset with symbol {symbol}': 'No hay ningún activo con el símbolo {symbol}',
    'No cryptocurrency {id}': 'No existe la criptomoneda {id}',
    'No quote for {symbol} yet': 'Aún no hay cotización de {symbol}',
    'No {symbol} price newer than {ms} ms; try again shortly': 'No hay ningún precio de {symbol} de hace menos de {ms} ms; vuelve a intentarlo en breve',
    'Choose an interval: {choices}': 'Elige un intervalo: {choices}',
    'Choose a start before the end': 'Elige un inicio anterior al final',
    'That is more than {max} candles: choose a shorter period or a wider interval': 'Son más de {max} velas: elige un periodo más corto o un intervalo mayor',
    'Enter a quantity or an amount in USD': 'Introduce una cantidad o un importe en USD',
    'Enter a quantity or an amount in USD, not both': 'Introduce una cantidad o un importe en USD, no ambos',
    'Leave out {what}: it is only for {orderType} orders': 'No indiques {what}: solo se usa en una orden {orderType}',
    'Enter {what} for a {orderType} order': 'Introduce {what} para una orden {orderType}',
    'The order is too small to buy any of the asset': 'La orden es demasiado pequeña para comprar algo del activo',
    'The order is too small to {side} any of the asset': 'La orden es demasiado pequeña para {side} algo del activo',
    'The order value must be at least {amount} USD': 'El valor de la orden debe ser de al menos {amount} USD',
    'At that price this amount is more than {max}: enter less': 'A ese precio, este importe supera {max}: introduce menos',
    'The order is {status}, only open orders can be cancelled': 'La orden está {status}; solo se pueden cancelar órdenes abiertas',
    'No such order': 'No existe esa orden',
    'Insufficient {asset} balance': 'Saldo de {asset} insuficiente',
    'needs {needed}, available {available}': 'se necesitan {needed}; disponible: {available}',
    'No {symbol} holding': 'No tienes {symbol}',
    'No tracked {symbol} holding': 'No tienes {symbol} registrado',

    // Convert and recurring buys
    'No such cash-out quote': 'No existe esa cotización de retirada de dólares',
    'This quote was used meanwhile': 'Entretanto, esta cotización ya se ha usado',
    'This quote was already used for a cash-out to another address: get a new quote':
      'Esta cotización ya se usó para una retirada de dólares a otra dirección: pide una nueva',
    'This address receives {asset} on {network}; the quote is for {quoteNetwork}: choose an address on {quoteNetwork} or get a new quote':
      'Esta dirección recibe {asset} por {network}; la cotización es para {quoteNetwork}: elige una dirección en {quoteNetwork} o pide una nueva cotización',
    'receives {asset} on {network}, not on {quoteNetwork}': 'recibe {asset} por {network}, no por {quoteNetwork}',
    'Cash out at least {amount}: the smallest {asset} withdrawal is {minimum} {asset}, sent after its {fee} {asset} network fee':
      'Retira al menos {amount}: la retirada mínima de {asset} es de {minimum} {asset}, enviada tras su comisión de red de {fee} {asset}',
    'Enter at least {amount} USD': 'Introduce al menos {amount} USD',
    'Choose a cash-out quote (a quote id)': 'Elige una cotización de retirada de dólares (un ID de cotización)',
    'Choose the stablecoin to send: {choices}': 'Elige la stablecoin que se envía: {choices}',
    'Choose a network: {choices}': 'Elige una red: {choices}',
    'Choose a quote to convert (a quote id)': 'Elige una cotización para convertir (un ID de cotización)',
    'Choose an asset other than the one you convert from': 'Elige un activo distinto del que conviertes',
    'Enter an amount to convert or an amount to receive': 'Introduce un importe para convertir o un importe para recibir',
    'Enter an amount to convert or an amount to receive, not both': 'Introduce un importe para convertir o un importe para recibir, no ambos',
    'Convert at least {amount} USD worth': 'Convierte al menos el equivalente a {amount} USD',
    'No such quote': 'No existe esa cotización',
    'This quote has expired: get a new quote': 'Esta cotización ha caducado: pide una nueva',
    'This quote was settled meanwhile': 'Entretanto, esta cotización ya se ha liquidado',
    'Choose a start from now on: it cannot be in the past': 'Elige un inicio a partir de ahora: no puede estar en el pasado',
    'Choose a start within a year from now': 'Elige un inicio dentro del próximo año',
    'Enter at least {amount}: after the fee, each buy must be worth at least {minimum}':
      'Introduce al menos {amount}: después de la comisión, cada compra debe valer al menos {minimum}',
    'At most {max} recurring buys can be active at once; pause or delete one first':
      'Como máximo puede haber {max} compras recurrentes activas a la vez; pausa o elimina primero una',
    'No such recurring buy': 'No existe esa compra recurrente',
    'The recurring buy is {status}': 'La compra recurrente está {status}',

    // Alerts, notifications, transactions
    'Choose true or false for email notifications': 'Elige true o false para las notificaciones por correo',
    'Choose true or false for push notifications': 'Elige true o false para las notificaciones push',
    'Choose true (armed) or false (paused)': 'Elige true (activa) o false (pausada)',
    'Choose true (armed alerts) or false (fired or paused ones)': 'Elige true (alertas activas) o false (disparadas o pausadas)',
    'At most {max} alerts can be active at once; pause or delete one first':
      'Como máximo puede haber {max} alertas activas a la vez; pausa o elimina primero una',
    'No such alert': 'No existe esa alerta',
    'Choose true (only unread) or false (only read)': 'Elige true (solo sin leer) o false (solo leídas)',
    'No such notification': 'No existe esa notificación',
    'No such transaction': 'No existe esa transacción',
    // Alerts on a 24 h move, repeating alerts, alerts that would fire at once; the watchlist
    'Leave out the move in percent: it is only for alerts on a 24 h move':
      'Quita el movimiento en porcentaje: solo es para alertas sobre un movimiento en 24 h',
    'Leave out the target price: an alert on a 24 h move has none': 'Quita el precio objetivo: una alerta sobre un movimiento en 24 h no lo tiene',
    'Choose true or false to confirm an alert that fires at once': 'Elige true o false para confirmar una alerta que se dispara al instante',
    '{symbol} already trades at {price}, at or above {target}: the alert would fire at once':
      '{symbol} ya cotiza a {price}, igual o por encima de {target}: la alerta se dispararía al instante',
    '{symbol} already trades at {price}, at or below {target}: the alert would fire at once':
      '{symbol} ya cotiza a {price}, igual o por debajo de {target}: la alerta se dispararía al instante',
    '{symbol} is already up {change} in 24 hours (at least {move}) at {price}: the alert would fire at once':
      '{symbol} ya ha subido un {change} en 24 horas (al menos un {move}) y cotiza a {price}: la alerta se dispararía al instante',
    '{symbol} is already down {change} in 24 hours (at least {move}) at {price}: the alert would fire at once':
      '{symbol} ya ha bajado un {change} en 24 horas (al menos un {move}) y cotiza a {price}: la alerta se dispararía al instante',
    'At most {max} assets fit in a watchlist; remove one first': 'Una lista de seguimiento admite como máximo {max} activos; quita primero uno',

    // Wallet: deposits, withdrawals, the address book
    'No payout of this withdrawal is under way at the payment provider': 'No hay ningún pago de esta retirada en curso en el proveedor de pagos',
    'The payout of this withdrawal is being sent right now; check with the provider again in a few minutes':
      'El pago de esta retirada se está enviando ahora mismo; vuelve a consultar con el proveedor en unos minutos',
    "The payment provider's payout does not match this withdrawal: {problems}": 'El pago del proveedor de pagos no coincide con esta retirada: {problems}',
    'The payment provider still reports this payout as {status}: it settles when the provider finishes it':
      'El proveedor de pagos aún indica este pago como {status}: se liquida cuando el proveedor lo termine',
    'A payout of this withdrawal is under way at the payment provider: it completes when the provider confirms it, or its hold is released if it fails':
      'Hay un pago de esta retirada en curso en el proveedor de pagos: se completa cuando el proveedor lo confirme, o se libera el importe retenido si falla',
    'Choose a currency to pay with: {choices}': 'Elige una moneda para pagar: {choices}',
    'The payment provider is unavailable; try again shortly': 'El proveedor de pagos no está disponible; vuelve a intentarlo en breve',
    'The payment provider answered inconsistently; try again': 'El proveedor de pagos ha respondido de forma incoherente; vuelve a intentarlo',
    'The webhook answered {httpStatus}': 'El webhook ha respondido {httpStatus}',
    'The x-nowpayments-sig signature does not match the body': 'La firma x-nowpayments-sig no coincide con el cuerpo',
    'Deposit not found': 'No se ha encontrado el depósito',
    'Choose what to deposit: {choices}': 'Elige qué depositar: {choices}',
    'Give a dollar amount for a USD deposit': 'Indica un importe en dólares para un depósito en USD',
    'Give a quantity of {asset}, not a dollar amount': 'Indica una cantidad de {asset}, no un importe en dólares',
    'A {asset} deposit is paid in {asset}': 'Un depósito de {asset} se paga en {asset}',
    '{asset} is not listed at the moment': '{asset} no está listado en este momento',
    'A deposit is worth {min} to {max}; {quantity} is worth about {value}': 'Un depósito debe valer entre {min} y {max}; {quantity} vale unos {value}',
    'Turn on two-factor authentication before withdrawing': 'Activa la verificación en dos pasos antes de retirar',
    '{asset} cannot be withdrawn': 'No se puede retirar {asset}',
    '{asset} cannot be withdrawn (withdrawable: {assets})': 'No se puede retirar {asset} (se pueden retirar: {assets})',
    '{asset} is withdrawn on {networks}, not {network}': '{asset} se retira por {networks}, no por {network}',
    'address is not a valid {asset} address on {network}: expected {hint}': 'No es una dirección de {asset} válida en {network}: se espera {hint}',
    'The smallest {asset} withdrawal is {minimum} {asset}': 'La retirada mínima de {asset} es de {minimum} {asset}',
    'Enter at least {minimum} {asset}': 'Introduce al menos {minimum} {asset}',
    'Withdrawals are limited to {limit} USD per 24 hours; {left} USD left': 'Las retiradas están limitadas a {limit} USD cada 24 horas; te quedan {left} USD',
    'Withdrawal not found': 'No se ha encontrado la retirada',
    'The withdrawal is {status}; it cannot be {action}': 'La retirada está {status}; no se puede {action}',
    'Enter a reason of 3 to 300 characters': 'Introduce un motivo de 3 a 300 caracteres',
    'Enter a reason of 3 to 500 characters': 'Introduce un motivo de 3 a 500 caracteres',
    'Enter the transaction hash: 16 to 126 letters and digits, optionally after 0x':
      'Introduce el hash de la transacción: de 16 a 126 letras y dígitos, opcionalmente precedidos de 0x',
    'Choose one of your saved addresses': 'Elige una de tus direcciones guardadas',
    'Enter a label of 1 to 64 characters': 'Introduce una etiqueta de 1 a 64 caracteres',
    'A label cannot contain < or > or control characters': 'Una etiqueta no puede contener < ni > ni caracteres de control',
    'Enter a network like bitcoin (see the withdrawal rules)': 'Introduce una red como bitcoin (consulta las reglas de retirada)',
    'Enter the address (at most 128 characters)': 'Introduce la dirección (como máximo 128 caracteres)',
    'This address is already in your address book': 'Esta dirección ya está en tu libreta de direcciones',
    'An address book holds at most {max} addresses; remove one first': 'Una libreta de direcciones admite como máximo {max} direcciones; elimina primero una',
    'Your address book is locked: no address can be added until you turn the lock off (that takes effect after a hold)':
      'Tu libreta de direcciones está bloqueada: no se pueden añadir direcciones hasta que desactives el bloqueo (eso surte efecto tras un periodo de espera)',
    'The address book is not locked': 'La libreta de direcciones no está bloqueada',
    'Saved address not found': 'No se ha encontrado la dirección guardada',
    'This address was removed from your address book': 'Esta dirección se ha eliminado de tu libreta de direcciones',
    'This address receives {asset}, not {wanted}': 'Esta dirección recibe {asset}, no {wanted}',
    'Confirm this address with the link we emailed you before withdrawing to it':
      'Confirma esta dirección con el enlace que te enviamos por correo antes de retirar fondos a ella',
    'This address is new: it can be used from {from}': 'Esta dirección es nueva: se puede usar a partir del {from}',
    'usable from {from}': 'utilizable a partir del {from}',
    removed: 'eliminada',
    'receives {asset}': 'recibe {asset}',
    'not confirmed': 'sin confirmar',

    // Admins
    'This requires the admin role': 'Esto requiere el rol de administrador',
    'Admins must turn on two-factor authentication (in Settings) before using the back office':
      'Los administradores deben activar la verificación en dos pasos (en Ajustes) antes de usar la administración',
    'A valid X-Setup-Token header is required': 'Se necesita una cabecera X-Setup-Token válida',
    'An admin already exists; admins manage roles from now on': 'Ya existe un administrador; a partir de ahora, los roles los gestionan los administradores',
    'No account with this email': 'No hay ninguna cuenta con este correo electrónico',
    'The account must verify its email first': 'La cuenta debe verificar primero su correo',
    'No such user': 'No existe ese usuario',
    'Admins cannot suspend themselves': 'Los administradores no pueden suspenderse a sí mismos',
    'An admin cannot be suspended; remove the admin role first (a second admin approves that)':
      'No se puede suspender a un administrador; quítale primero el rol de administrador (otro administrador lo aprueba)',
    'An admin cannot turn two-factor authentication off; another admin can remove the admin role first':
      'Un administrador no puede desactivar la verificación en dos pasos; otro administrador puede quitarle antes el rol de administrador',
    'Roles change through POST /api/admin/users/:id/role (a step-up, then a second admin approves)':
      'Los roles se cambian con POST /api/admin/users/:id/role (primero confirmas tu identidad y después otro administrador lo aprueba)',
    'Send suspended: true or false': 'Envía suspended: true o false',
    'Choose true (suspend) or false (lift the suspension)': 'Elige true (suspender) o false (reactivar)',
    'Enter text to search for': 'Introduce el texto que quieres buscar',
    'Search for at most 254 characters': 'Busca como máximo 254 caracteres',
    'Enter an action name like admin.user_suspended (lower-case letters, digits, _ and .)':
      'Introduce un nombre de acción como admin.user_suspended (minúsculas, dígitos, _ y .)',
    'You cannot change your own role; another admin can': 'No puedes cambiar tu propio rol; puede hacerlo otro administrador',
    'A role change of this account is already waiting for approval': 'Ya hay un cambio de rol de esta cuenta pendiente de aprobación',
    'No other admin can approve this change: send the server’s setup token (ADMIN_SETUP_TOKEN) in X-Setup-Token to make it now':
      'Ningún otro administrador puede aprobar este cambio: envía el token de configuración del servidor (ADMIN_SETUP_TOKEN) en X-Setup-Token para hacerlo ahora',
    'A second admin must approve: not the admin who asked, nor the account concerned':
      'Debe aprobarlo un segundo administrador: ni el que lo solicitó ni la cuenta afectada',
    'The admin who asked for this change no longer is one: reject it': 'El administrador que solicitó este cambio ya no lo es: recházalo',
    'The account concerned cannot decide its own role change': 'La cuenta afectada no puede decidir sobre su propio cambio de rol',
    'No such role change': 'No existe ese cambio de rol',
    'This role change was already {roleChangeStatus}': 'Este cambio de rol ya está {roleChangeStatus}',
    'This account is already an admin': 'Esta cuenta ya es administradora',
    'This account is not an admin': 'Esta cuenta no es administradora',
    'The last admin cannot lose the role; make another admin first': 'El último administrador no puede perder el rol; nombra primero a otro administrador',
    'Only an account with a verified email address can become an admin': 'Solo una cuenta con la dirección de correo verificada puede ser administradora',
    'A suspended or frozen account cannot become an admin': 'Una cuenta suspendida o congelada no puede ser administradora',
    'Only an account with two-factor authentication on can become an admin: ask its owner to turn it on first':
      'Solo una cuenta con la verificación en dos pasos activada puede ser administradora: pide primero a su titular que la active',
    'Choose the user to adjust (a user id)': 'Elige el usuario que quieres ajustar (un ID de usuario)',
    'Enter an amount other than 0': 'Introduce un importe distinto de 0',
    'Admins cannot adjust their own account; another admin must do it':
      'Los administradores no pueden ajustar su propia cuenta; debe hacerlo otro administrador',
    'Admins cannot approve an adjustment of their own account': 'Los administradores no pueden aprobar un ajuste de su propia cuenta',
    'No such ledger adjustment': 'No existe ese ajuste contable',
    'A different admin must {action} this adjustment: you requested it': 'Otro administrador debe {action} este ajuste: lo solicitaste tú',
    'The adjustment is {adjustmentStatus}; only pending adjustments can be approved':
      'El ajuste está {adjustmentStatus}; solo se pueden aprobar ajustes pendientes',
    'The adjustment is {adjustmentStatus}; only pending adjustments can be rejected':
      'El ajuste está {adjustmentStatus}; solo se pueden rechazar ajustes pendientes',
    'Admins cannot approve their own withdrawals': 'Los administradores no pueden aprobar sus propias retiradas',
    'You already approved this withdrawal; a different admin must give the second approval':
      'Ya aprobaste esta retirada; la segunda aprobación debe darla otro administrador',
    'This movement was already recorded': 'Este movimiento ya se había registrado',
    'The amount is larger than an account can hold': 'El importe es mayor de lo que puede contener una cuenta',
    'This lot was bought here: its cost basis is the price paid and cannot be changed':
      'Este lote se compró aquí: su coste base es el precio pagado y no se puede cambiar',
    'Enter a day like 2027-01-01': 'Escribe un día como 2027-01-01',
    'Choose today or a later day: disposals already made keep their method': 'Elige hoy o un día posterior: las ventas ya hechas mantienen su método',
    'Choose a day within a year from today': 'Elige un día dentro de un año a partir de hoy',
    'Choose true (to your own wallet) or false (to someone else)': 'Elige true (a tu propia billetera) o false (a otra persona)',
    'Enter a year like 2026 (2009 or later)': 'Escribe un año como 2026 (2009 o posterior)',
  },
  phrases: {
    // Labels of numbers and fields, as the object of "Introduce …"
    'a number': 'un número',
    'an amount': 'un importe',
    'a cost in dollars': 'un coste en dólares',
    'an amount in USD': 'un importe en USD',
    'a quantity': 'una cantidad',
    'a limit price': 'un precio límite',
    'a stop price': 'un precio stop',
    'a target price': 'un precio objetivo',
    'a move in percent': 'un movimiento en porcentaje',
    'a cooldown in seconds': 'un tiempo de espera en segundos',
    'an average cost': 'un coste medio',
    'an amount to convert': 'un importe para convertir',
    'an amount to receive': 'un importe para recibir',
    'how many to show': 'el número de elementos por página',
    'a number of days': 'un número de días',
    'the start': 'el inicio',
    'the expiry': 'la caducidad',
    'the purchase date': 'la fecha de compra',
    'the end': 'el final',
    'the first buy': 'la primera compra',
    'a UUID': 'un UUID',
    'a whole number below 2^63': 'un número entero menor que 2^63',
    // Orders ("una orden …")
    'orderType:market': 'de mercado',
    'orderType:limit': 'limitada',
    'orderType:stop': 'stop',
    'side:buy': 'comprar',
    'side:sell': 'vender',
    // States: of a withdrawal, an order, a recurring buy ("la … está", feminine)
    'status:open': 'abierta',
    'status:filled': 'ejecutada',
    'status:pending': 'pendiente',
    'status:approved': 'aprobada',
    'status:completed': 'completada',
    'status:rejected': 'rechazada',
    'status:cancelled': 'cancelada',
    'status:active': 'activa',
    'status:paused': 'pausada',
    'status:deleted': 'eliminada',
    // … of an adjustment or a role change ("el … está", masculine)
    'adjustmentStatus:pending': 'pendiente',
    'adjustmentStatus:posted': 'contabilizado',
    'adjustmentStatus:rejected': 'rechazado',
    'roleChangeStatus:approved': 'aprobado',
    'roleChangeStatus:rejected': 'rechazado',
    'roleChangeStatus:withdrawn': 'retirado',
    // What cannot be done ("no se puede …"), what another admin must do ("debe …")
    'action:approved': 'aprobar',
    'action:completed': 'completar',
    'action:rejected': 'rechazar',
    'action:cancelled': 'cancelar',
    'action:approve': 'aprobar',
    'action:reject': 'rechazar',
    // Passkey challenges ("un desafío de …")
    'purpose:registration': 'registro',
    'purpose:sign-in': 'inicio de sesión',
    'purpose:confirmation': 'confirmación',
    // Why withdrawals are on hold ("porque …", as the client's es.json)
    'your password was reset': 'se restableció tu contraseña',
    'two-factor authentication was changed': 'se cambió la verificación en dos pasos',
    'your account was unfrozen': 'se descongeló tu cuenta',
    'your email address was changed': 'se cambió tu dirección de correo',
    'a passkey was changed': 'se cambió una llave de acceso',
    'a security change was made': 'se hizo un cambio de seguridad',
    // What a frozen account is refused ("hasta entonces, se rechazan …")
    'withdrawals and security changes are': 'las retiradas y los cambios de seguridad',
    'signing in, withdrawals and security changes are': 'los inicios de sesión, las retiradas y los cambios de seguridad',
    // What a withdrawal address looks like
    'a bech32 (bc1…) or base58check (1…, 3…) Bitcoin address': 'una dirección de Bitcoin bech32 (bc1…) o base58check (1…, 3…)',
    '0x followed by 40 hex digits (EIP-55 checksum when mixed case)':
      '0x seguido de 40 dígitos hexadecimales (con suma de comprobación EIP-55 si mezcla mayúsculas y minúsculas)',
    'a base58check Tron address starting with T': 'una dirección de Tron base58check que empiece por T',
    'a bech32 (ltc1…) or base58check (L…, M…) Litecoin address': 'una dirección de Litecoin bech32 (ltc1…) o base58check (L…, M…)',
    'a base58 Solana address (32 bytes)': 'una dirección de Solana base58 (32 bytes)',
    'a classic XRP address starting with r': 'una dirección clásica de XRP que empiece por r',
    'a base58check Dogecoin address starting with D': 'una dirección de Dogecoin base58check que empiece por D',
  },
};
