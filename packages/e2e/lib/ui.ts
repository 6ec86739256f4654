// What a user does in the portal, in their words: roles, labels and visible text only.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { APP_URL } from './portal.ts';
import { waitVisible } from '../../test-utils/src/browser.ts';

export function sidebar(page: Page): Locator {
  return page.getByRole('navigation', { name: 'sidebar nav' });
}

/** Opens the portal and signs in with the guest provider's "Enter" button. `shot` runs on the sign-in page. */
export async function signInAsGuest(
  page: Page,
  shot?: () => Promise<void>,
): Promise<void> {
  await page.goto(APP_URL);
  const enter = page.getByRole('button', { name: 'Enter' });
  await waitVisible(
    page,
    enter,
    'the sign-in page with the guest "Enter" button',
    60_000,
  );
  await waitVisible(
    page,
    page.getByText('Enter as a Guest User', { exact: false }),
    'the guest provider on the sign-in page',
  );
  if (shot) await shot();
  await enter.click();
  // The nav element itself has no box of its own (its drawer is positioned), so wait for one of its links.
  await waitVisible(
    page,
    sidebar(page).getByRole('link', { name: 'Create', exact: true }),
    'the sidebar after signing in',
    30_000,
  );
}

/** The template card on /create whose title is `title`, e.g. "Go API". */
export function templateCard(page: Page, title: string): Locator {
  // The innermost element holding both the card's title and its Choose button: one card.
  return page
    .locator('div')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last();
}

/** Goes to Create through the sidebar and waits for the template list. */
export async function openCreate(page: Page): Promise<void> {
  await sidebar(page)
    .getByRole('link', { name: 'Create', exact: true })
    .click();
  await page.waitForURL(/\/create(\/|$|\?)/);
  await waitVisible(
    page,
    page.getByRole('heading', { name: 'Go API', exact: true }),
    'the Go API template on the Create page',
    30_000,
  );
}

/** Chooses the template and waits for the first step of its form. */
export async function chooseTemplate(page: Page, title: string): Promise<void> {
  await templateCard(page, title)
    .getByRole('button', { name: 'Choose' })
    .click();
  await waitVisible(
    page,
    page.getByRole('textbox', { name: 'Name' }),
    `the form of the ${title} template`,
  );
}

/** Picks `option` in an autocomplete (OwnerPicker, EntityPicker) labelled `label`. */
export async function pickFromAutocomplete(
  page: Page,
  label: string,
  typed: string,
  option: string,
): Promise<void> {
  const input = page.getByRole('textbox', { name: label, exact: true });
  await input.click();
  await input.fill(typed);
  const listbox = page.getByRole('listbox', { name: label });
  const choice = listbox.getByRole('option', { name: option, exact: true });
  await waitVisible(
    page,
    choice,
    `"${option}" among the ${label} options`,
    30_000,
  );
  await choice.click();
  await listbox.waitFor({ state: 'hidden', timeout: 10_000 });
}

export type ServiceStep = {
  name: string;
  description: string;
  ownerTitle: string;
  systemTitle: string;
  lifecycle: string;
};

/** Fills the template's first step (Service). */
export async function fillServiceStep(page: Page, values: ServiceStep) {
  await page.getByRole('textbox', { name: 'Name' }).fill(values.name);
  await page
    .getByRole('textbox', { name: 'Description' })
    .fill(values.description);
  await pickFromAutocomplete(
    page,
    'Owner',
    values.ownerTitle.slice(0, 4),
    values.ownerTitle,
  );
  await pickFromAutocomplete(
    page,
    'System',
    values.systemTitle.slice(0, 4),
    values.systemTitle,
  );
  await page.getByRole('button', { name: /^Lifecycle/ }).click();
  const lifecycles = page.getByRole('listbox', { name: 'Lifecycle' });
  await lifecycles
    .getByRole('option', { name: values.lifecycle, exact: true })
    .click();
  await lifecycles.waitFor({ state: 'hidden', timeout: 10_000 });
  await waitVisible(
    page,
    page.getByRole('button', { name: `Lifecycle ${values.lifecycle}` }),
    `lifecycle ${values.lifecycle} selected`,
  );
}

/** The CostTags field (plugins/service-insights) on the "Cost tags" step. */
export function costTagsField(page: Page): Locator {
  return page.getByRole('group', { name: 'Cost tags' });
}

export async function goNext(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
}

/** The text of the element that describes `input` (its helper text), as assistive technology reads it. */
export async function descriptionOf(input: Locator): Promise<string> {
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const texts: string[] = [];
  for (const id of ids.split(/\s+/).filter(Boolean)) {
    texts.push(await input.page().locator(`[id="${id}"]`).innerText());
  }
  return texts.join(' ');
}

/** The service-insights card on an entity page, once its insight has loaded. */
export async function serviceInsightsCard(
  page: Page,
  timeoutMs = 30_000,
): Promise<Locator> {
  const card = page
    .locator('div')
    .filter({ hasText: 'Service insights' })
    .filter({ has: page.getByRole('region', { name: 'Ownership' }) })
    .filter({ has: page.getByRole('region', { name: 'Trace links' }) })
    .last();
  await waitVisible(
    page,
    page.getByRole('region', { name: 'Ownership' }),
    'the service-insights card with its Ownership section',
    timeoutMs,
  );
  return card;
}

/** One row of a roll-up table ("By team", "By cost center") as numbers and texts, keyed by its first cell. */
export async function readRollupTable(
  page: Page,
  title: 'By team' | 'By cost center',
): Promise<
  Array<{
    name: string;
    services: number;
    fullyTagged: string;
    traced: string;
    withoutOwner: number;
  }>
> {
  const table = page.getByRole('table', { name: title });
  await waitVisible(page, table, `the "${title}" roll-up`);
  // The second row group is the body; the first holds the column headers.
  const rows = await table.getByRole('rowgroup').nth(1).getByRole('row').all();
  const result = [];
  for (const row of rows) {
    const cells = (await row.getByRole('cell').allInnerTexts()).map(t =>
      t.replace(/\s+/g, ' ').trim(),
    );
    assert.equal(cells.length, 5, `a "${title}" row has 5 cells: ${cells}`);
    result.push({
      name: cells[0],
      services: Number(cells[1]),
      fullyTagged: cells[2],
      traced: cells[3],
      withoutOwner: Number(cells[4]),
    });
  }
  return result;
}

/** The dashboard's Overview totals, e.g. `{ Services: '11', 'Fully tagged': '64% (7)', ... }`. */
export async function readTotals(page: Page): Promise<Record<string, string>> {
  const list = page.getByLabel('Totals', { exact: true });
  await waitVisible(page, list, 'the Overview totals');
  const terms = await list.getByRole('term').allInnerTexts();
  const values = await list.getByRole('definition').allInnerTexts();
  return Object.fromEntries(
    terms.map((term, i) => [term.trim(), values[i]?.trim() ?? '']),
  );
}
