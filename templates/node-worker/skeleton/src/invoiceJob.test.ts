import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInvoice, handleInvoiceJob, InvalidJobError, parseOrder } from './invoiceJob.ts';
import { createLogger } from './logger.ts';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const order = {
  orderId: 'ORD-1001',
  customerId: 'C-7',
  currency: 'EUR',
  lines: [
    { sku: 'book', quantity: 2, unitPriceCents: 1_250 },
    { sku: 'pen', quantity: 3, unitPriceCents: 199 },
  ],
};

describe('invoice job', () => {
  it('builds the invoice of an order', () => {
    const invoice = buildInvoice(parseOrder(bytes(order)));
    assert.equal(invoice.invoiceId, 'INV-ORD-1001');
    assert.deepEqual(
      invoice.lines.map(l => l.totalCents),
      [2_500, 597],
    );
    assert.equal(invoice.totalCents, 3_097);
  });

  it('gives the same invoice id for the same order (safe to redeliver)', () => {
    assert.equal(buildInvoice(parseOrder(bytes(order))).invoiceId, buildInvoice(parseOrder(bytes(order))).invoiceId);
  });

  for (const [name, payload, message] of [
    ['not JSON', '{"orderId":', /payload is not JSON/],
    ['not an object', [1, 2], /must be a JSON object/],
    ['no lines', { ...order, lines: [] }, /lines: want 1-1000 order lines/],
    ['bad currency', { ...order, currency: 'euro' }, /currency: want an ISO 4217 code/],
    ['zero quantity', { ...order, lines: [{ sku: 'x', quantity: 0, unitPriceCents: 1 }] }, /lines\[0\]\.quantity/],
    [
      'fractional price',
      { ...order, lines: [{ sku: 'x', quantity: 1, unitPriceCents: 1.5 }] },
      /lines\[0\]\.unitPriceCents/,
    ],
  ] as const) {
    it(`rejects an order with ${name}`, () => {
      assert.throws(
        () => parseOrder(bytes(payload)),
        (error: Error) => {
          assert.ok(error instanceof InvalidJobError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('lists every problem at once', () => {
    assert.throws(
      () => parseOrder(bytes({ lines: [{}] })),
      /orderId.*customerId.*currency.*sku.*quantity.*unitPriceCents/,
    );
  });

  it('logs the invoice it created', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: line => lines.push(line) });
    await handleInvoiceJob(bytes(order), { subject: 'x.jobs', attempt: 1, isLastAttempt: false, logger });
    const entry = JSON.parse(lines[0] ?? '{}');
    assert.equal(entry.msg, 'invoice created');
    assert.equal(entry.invoice_id, 'INV-ORD-1001');
    assert.equal(entry.total_cents, 3_097);
  });
});
