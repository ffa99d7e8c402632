// Debian's Chromium (never a downloaded browser), headless, with everything that would reach the network off.

import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.LIVE2_E2E_CHROMIUM ?? "/usr/bin/chromium";

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
