// Shown when the app's code cannot be loaded or started: a network that dropped mid-load, or a release that replaced
// the scripts this page names since it was served. Without it, a page the server rendered stays on the screen but
// never comes alive, and any other page stays blank; neither says what happened or what to do. Plain DOM: nothing of
// Angular may be needed to say that Angular did not load (main.ts imports nothing of it). The text is translated:
// the chosen language's translations are loaded before the app is (main.ts), so $localize has them unless they failed
// too, and then the page is in English anyway.

const ID = 'cv-load-failed';

/** Logs why, and puts a notice with a Reload button at the top of the page (once, however many parts fail). */
export function showLoadFailure(err: unknown): void {
  console.error(err);
  if (document.getElementById(ID)) return;
  const notice = document.createElement('div');
  notice.id = ID;
  notice.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent = $localize`CryptoVault could not finish loading. Check your connection, then reload the page.`;
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = $localize`Reload`;
  reload.addEventListener('click', () => location.reload());
  notice.append(text, reload);
  document.body.prepend(notice);
  reload.focus();
}
