// Where Debian's Chromium (or another one named by CHROME_PATH) lives. npm cannot download browsers here.
import { existsSync } from 'node:fs';

const candidates = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** The Chromium executable, or undefined when none is installed. */
export function findChromium() {
  return candidates.find((path) => path && existsSync(path));
}

/** Chromium's path; exits with install instructions when there is none (never a silent skip). */
export function requireChromium() {
  const path = findChromium();
  if (!path) {
    console.error(
      'No Chromium found. The browser and end-to-end tests need one:\n' +
        '  sudo apt-get install -y chromium      (Debian/Ubuntu: /usr/bin/chromium)\n' +
        'or set CHROME_PATH to a Chromium/Chrome executable.',
    );
    process.exit(2);
  }
  return path;
}

/** Launch flags for headless Chromium as root on a closed network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
