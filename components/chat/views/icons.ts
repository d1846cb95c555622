/**
 * The widget's own icons as inline SVG templates (24px grid, `currentColor`), so they render the
 * same everywhere without an icon font or emoji. Decorative: the buttons carry the labels.
 */
import { svg, type SVGTemplateResult } from 'lit';

const icon = (path: SVGTemplateResult): SVGTemplateResult =>
  svg`<svg class="i" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false" fill="none"
    stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${path}</svg>`;

export const chatIcon = icon(svg`<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>`);
export const closeIcon = icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`);
export const menuIcon = icon(svg`<path d="M4 7h16M4 12h16M4 17h16"/>`);
export const signOutIcon = icon(svg`<path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l-5-5 5-5M5 12h11"/>`);
export const attachIcon = icon(
  svg`<path d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9"/>`,
);
export const sendIcon = icon(svg`<path d="M4 12l16-8-6 16-2.5-6.5L4 12z"/>`);
export const stopIcon = icon(svg`<rect x="6" y="6" width="12" height="12" rx="2"/>`);
export const fileIcon = icon(svg`<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8l-5-5zM14 3v5h5"/>`);
