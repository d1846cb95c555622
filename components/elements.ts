/** Registers Parley's custom elements (`<parley-chat>`). Importing this module defines them. */
export {};
