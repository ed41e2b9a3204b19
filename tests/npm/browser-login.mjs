// Drive a real headless Chromium through a login page, as a person would:
//   node browser-login.mjs URL USERNAME PASSWORD
// Fills whichever login form it meets (oidc-provider's "login"; a "username" as Keycloak's and
// Django's name it), accepts a consent page (django-oauth-toolkit's puts "Cancel" before its
// "allow" button, so a button named "allow" goes first), and stops on the first page served by
// 127.0.0.1 that is not the login server's (Ferry's loopback listener), or on a page with no
// button (an error page). Prints {"url", "status", "text"} as JSON.
import { chromium } from 'playwright-core';

const [url, username, password] = process.argv.slice(2);
const loginOrigin = new URL(url).origin;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  const page = await browser.newPage();
  let response = await page.goto(url);
  for (let step = 0; step < 8; step += 1) {
    const here = new URL(page.url());
    if (here.origin !== loginOrigin) break;
    const user = await page.$('input[name="login"], input[name="username"]');
    if (user) {
      await user.fill(username);
      await page.fill('input[name="password"]', password);
    }
    const submit = (await page.$('[type="submit"][name="allow"]'))
      || (await page.$('button[type="submit"], input[type="submit"], button'));
    if (!submit) break;
    [response] = await Promise.all([page.waitForNavigation(), submit.click()]);
  }
  const text = (await page.textContent('body')) || '';
  process.stdout.write(JSON.stringify({ url: page.url(), status: response ? response.status() : 0, text: text.trim() }) + '\n');
} finally {
  await browser.close();
}
