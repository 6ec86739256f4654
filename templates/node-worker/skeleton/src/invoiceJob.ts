// The example job: turn an order into an invoice. Replace it with your own handler; keep the shape (parse and
// validate, then do the work, idempotently) and wire it in src/main.ts.
import { PermanentJobError, type JobHandler } from './delivery.ts';

export interface OrderLine {
  sku: string;
  quantity: number;
  /** Price of one unit in the currency's minor unit (cents). */
  unitPriceCents: number;
}

export interface Order {
  orderId: string;
  customerId: string;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  lines: OrderLine[];
}

export interface Invoice {
  invoiceId: string;
  orderId: string;
  customerId: string;
  currency: string;
  lines: Array<OrderLine & { totalCents: number }>;
  totalCents: number;
}

/** The job's payload is not a valid order. Retrying will not fix it, so it goes to the dead-letter subject at once. */
export class InvalidJobError extends PermanentJobError {
  override name = 'InvalidJobError';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v);
const isCount = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/** Parses and validates an order; the error lists every problem. */
export function parseOrder(data: Uint8Array): Order {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new InvalidJobError('payload is not JSON');
  }
  if (!isRecord(value)) throw new InvalidJobError('payload must be a JSON object');

  const problems: string[] = [];
  if (!isId(value.orderId)) problems.push('orderId: want 1-64 letters, digits, ".", "_" or "-"');
  if (!isId(value.customerId)) problems.push('customerId: want 1-64 letters, digits, ".", "_" or "-"');
  if (typeof value.currency !== 'string' || !/^[A-Z]{3}$/.test(value.currency)) {
    problems.push('currency: want an ISO 4217 code such as EUR');
  }
  if (!Array.isArray(value.lines) || value.lines.length === 0 || value.lines.length > 1000) {
    problems.push('lines: want 1-1000 order lines');
  } else {
    for (const [i, line] of (value.lines as unknown[]).entries()) {
      if (!isRecord(line)) {
        problems.push(`lines[${i}]: want an object`);
        continue;
      }
      if (!isId(line.sku)) problems.push(`lines[${i}].sku: want 1-64 letters, digits, ".", "_" or "-"`);
      if (!isCount(line.quantity, 1)) problems.push(`lines[${i}].quantity: want a whole number >= 1`);
      if (!isCount(line.unitPriceCents, 0)) problems.push(`lines[${i}].unitPriceCents: want a whole number >= 0`);
    }
  }
  if (problems.length > 0) throw new InvalidJobError(`invalid order: ${problems.join('; ')}`);
  return value as unknown as Order;
}

/** A pure function of the order: the same order always gives the same invoice, so a redelivered job is harmless. */
export function buildInvoice(order: Order): Invoice {
  const lines = order.lines.map(({ sku, quantity, unitPriceCents }) => ({
    sku,
    quantity,
    unitPriceCents,
    totalCents: quantity * unitPriceCents,
  }));
  const totalCents = lines.reduce((sum, line) => sum + line.totalCents, 0);
  if (!Number.isSafeInteger(totalCents)) throw new InvalidJobError('invoice total is too large');
  return {
    invoiceId: `INV-${order.orderId}`,
    orderId: order.orderId,
    customerId: order.customerId,
    currency: order.currency,
    lines,
    totalCents,
  };
}

/** The job handler: validate, build the invoice, record it. */
export const handleInvoiceJob: JobHandler = async (data, job) => {
  const invoice = buildInvoice(parseOrder(data));
  // Store the invoice or call your billing API here; use invoice.invoiceId as the idempotency key.
  job.logger.info('invoice created', {
    invoice_id: invoice.invoiceId,
    order_id: invoice.orderId,
    total_cents: invoice.totalCents,
    currency: invoice.currency,
    attempt: job.attempt,
  });
};
