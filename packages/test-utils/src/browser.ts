// Debian's Chromium driven by playwright-core (never a downloaded browser), plus a recorder that times every step
// of a journey and saves a screenshot of it into artifacts/e2e/.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { repoRoot } from './backendProcess.ts';

export const ARTIFACTS_DIR = join(repoRoot, 'artifacts/e2e');

export const CHROMIUM_PATH = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}

/** A fresh context (no cookies, no local storage: every journey signs in itself) and page with bounded waits. */
export async function newPage(
  browser: Browser,
  logName: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(60_000);
  // Browser-side errors go to a log next to the screenshots (React's dev warnings are noise, so they do not fail).
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const logFile = join(ARTIFACTS_DIR, `${logName}.console.log`);
  writeFileSync(logFile, '');
  page.on('pageerror', error =>
    appendFileSync(logFile, `[pageerror] ${error.stack ?? error}\n`),
  );
  page.on('console', message => {
    if (message.type() === 'error') {
      appendFileSync(logFile, `[console.error] ${message.text()}\n`);
    }
  });
  return { context, page };
}

/**
 * Backstage's error panel ("Error: Error in scaffolder" and the like), shown in place of a page or card that
 * crashed. Its text is the best explanation of a failed wait, so the waits below report it.
 */
function errorPanel(page: Page): Locator {
  return page
    .getByRole('alert')
    .filter({ has: page.getByRole('heading', { name: /^Error: / }) });
}

/**
 * The text of the dev server's runtime error overlay (an iframe that covers the page and swallows every click after
 * an uncaught error in the app), or undefined when there is none.
 */
export async function errorOverlayText(
  page: Page,
): Promise<string | undefined> {
  const overlay = page.locator('iframe#react-refresh-overlay');
  if ((await overlay.count()) === 0 || !(await overlay.first().isVisible())) {
    return undefined;
  }
  const text = await page
    .frameLocator('iframe#react-refresh-overlay')
    .locator('body')
    .innerText({ timeout: 5_000 })
    .catch(() => '(unreadable)');
  return text.replace(/\s+/g, ' ').trim().slice(0, 1200);
}

/**
 * Waits until `locator` is visible; fails at once, with the panel's text, if the page shows Backstage's error
 * panel instead, and with `what` after `timeoutMs` otherwise.
 */
export async function waitVisible(
  page: Page,
  locator: Locator,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const found = locator.first();
  const crashed = errorPanel(page).first();
  const winner = await Promise.race([
    found.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'ok'),
    crashed
      .waitFor({ state: 'visible', timeout: timeoutMs })
      .then(() => 'error'),
  ]).catch(() => 'timeout');
  if (winner === 'ok') return;
  if (winner === 'error' || (await crashed.isVisible())) {
    const text = (await crashed.innerText()).replace(/\s+/g, ' ').slice(0, 800);
    throw new Error(
      `waiting for ${what} on ${page.url()}: the page shows an error instead: ${text}`,
    );
  }
  throw new Error(
    `waiting for ${what} on ${page.url()}: not visible within ${timeoutMs} ms`,
  );
}

export type StepTiming = { journey: string; step: string; ms: number };

/**
 * Runs the steps of one journey in order: times each one, saves `NN-<name>.png` after it (or `NN-<name>-FAILED.png`
 * when it fails) and keeps the timings for the summary.
 */
export class Journey {
  readonly name: string;
  readonly page: Page;
  readonly prefix: string;
  readonly numbered: boolean;
  readonly timings: StepTiming[] = [];
  private readonly diagnose?: () => string | undefined;
  private count = 0;

  /** Screenshots are `<prefix>NN-<step>.png`, or `<prefix><step>.png` with `numbered: false`. */
  constructor(
    name: string,
    page: Page,
    options: {
      prefix?: string;
      numbered?: boolean;
      /** Called when a step fails; what it returns (e.g. "the portal exited: ...") is added to the error. */
      diagnose?: () => string | undefined;
    } = {},
  ) {
    this.name = name;
    this.page = page;
    this.prefix = options.prefix ?? '';
    this.numbered = options.numbered ?? true;
    this.diagnose = options.diagnose;
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
  }

  /** The file name of the current step's screenshot, e.g. `03-go-api-form.png`. */
  private file(step: string, suffix = ''): string {
    const number = this.numbered
      ? `${String(this.count).padStart(2, '0')}-`
      : '';
    return join(ARTIFACTS_DIR, `${this.prefix}${number}${step}${suffix}.png`);
  }

  /**
   * Runs `action`, then screenshots the page. `action` may take the screenshot itself at a better moment (e.g. the
   * sign-in page before the click) by calling `shot()`; `fullPage` captures below the fold too.
   */
  async step<T>(
    step: string,
    action: (shot: (locator?: Locator) => Promise<void>) => Promise<T>,
    options: { fullPage?: boolean } = {},
  ): Promise<T> {
    this.count += 1;
    let shotTaken = false;
    const shot = async (locator?: Locator) => {
      shotTaken = true;
      // Let lazy content (cards, graphs) arrive; CSS transitions are fast-forwarded by `animations: 'disabled'`.
      await this.page
        .waitForLoadState('networkidle', { timeout: 5_000 })
        .catch(() => undefined);
      const shotOptions = {
        path: this.file(step),
        animations: 'disabled' as const,
        timeout: 15_000,
      };
      if (locator) {
        await locator.screenshot(shotOptions);
      } else {
        await this.page.screenshot({
          ...shotOptions,
          fullPage: options.fullPage,
        });
      }
    };
    const started = performance.now();
    let result: T;
    try {
      result = await action(shot);
    } catch (error) {
      await this.page
        .screenshot({ path: this.file(step, '-FAILED'), fullPage: true })
        .catch(() => undefined);
      this.record(step, started, ' (failed)');
      const overlay = await errorOverlayText(this.page).catch(() => undefined);
      const extra = [
        overlay &&
          `The dev server's runtime error overlay covers the page: ${overlay}`,
        this.diagnose?.(),
      ].filter(Boolean);
      if (extra.length > 0) {
        // A new error: the reporter prints the stack, which still holds the original message.
        throw new Error(
          `${extra.join('\n')}\n${
            error instanceof Error ? error.message : String(error)
          }`,
          { cause: error },
        );
      }
      throw error;
    }
    this.record(step, started);
    if (!shotTaken) {
      await shot();
    }
    return result;
  }

  private record(step: string, started: number, note = '') {
    const ms = Math.round(performance.now() - started);
    this.timings.push({ journey: this.name, step: step + note, ms });
    console.log(`  [${this.name}] ${step}${note}: ${ms} ms`);
  }
}

/** The timings as an aligned table. */
export function formatTimings(timings: StepTiming[]): string {
  const width = Math.max(
    ...timings.map(t => `${t.journey} / ${t.step}`.length),
  );
  const lines = timings.map(
    t =>
      `${`${t.journey} / ${t.step}`.padEnd(width)}  ${(t.ms / 1000)
        .toFixed(1)
        .padStart(6)} s`,
  );
  return lines.join('\n');
}
