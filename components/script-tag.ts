/** The script-tag entry: sets `window.Parley` (the client API) and registers the elements. */
import * as Parley from '../src/index.js';
import './elements.js';

(globalThis as unknown as { Parley: typeof Parley }).Parley = Parley;
