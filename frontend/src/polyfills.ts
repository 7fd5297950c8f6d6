// $localize, for the translations main.ts loads before the app starts (see main.ts).
import '@angular/localize/init';
