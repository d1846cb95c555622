/** Registers `<parley-chat>` (once; a second copy of the bundle on the page is harmless). */
import { ParleyChat } from './parley-chat.js';

if (!customElements.get('parley-chat')) customElements.define('parley-chat', ParleyChat);
