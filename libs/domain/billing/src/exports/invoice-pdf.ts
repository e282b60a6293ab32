import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatUsd } from '../rating/money';
import type { InvoiceDocument } from './exports.repository';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const ROW = 16;

/** The standard PDF fonts encode WinAnsi only: anything else is shown as `?` rather than failing the export. */
const printable = (s: string) => s.replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * An invoice as a one-or-more-page A4 PDF (pdf-lib: pure JavaScript, the 14 standard fonts, no
 * font files read at run time): parties, period, status, every line, subtotal, tax, total and
 * credit notes. Amounts are the invoice's micro-USD, shown with cents (more digits only when the
 * amount has them), exactly as the CSV and the console show them.
 */
export async function renderInvoicePdf(doc: InvoiceDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const { invoice } = doc;
  const title = invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice';
  pdf.setTitle(title);
  pdf.setProducer('Slipway');
  pdf.setCreationDate(invoice.finalizedAt ?? invoice.updatedAt);
  pdf.setModificationDate(invoice.updatedAt);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);

  let page = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const write = (text: string, x: number, font: PDFFont = regular, size = 10, target: PDFPage = page) => target.drawText(printable(text), { x, y, size, font, color: rgb(0.1, 0.1, 0.12) });
  const right = (text: string, xRight: number, font: PDFFont = regular, size = 10) => write(text, xRight - font.widthOfTextAtSize(printable(text), size), font, size);
  const next = (lines = 1) => {
    y -= ROW * lines;
    if (y < MARGIN + ROW) {
      page = pdf.addPage(A4);
      y = A4[1] - MARGIN;
    }
  };

  write(title, MARGIN, bold, 18);
  next(2);
  write(`Status: ${invoice.status}`, MARGIN);
  right(`Period: ${day(invoice.periodStart)} to ${day(invoice.periodEnd)} (UTC)`, A4[0] - MARGIN);
  next();
  write(`From: ${doc.publisherName}`, MARGIN);
  right(`API: ${doc.listingName}`, A4[0] - MARGIN);
  next();
  write(`Bill to: ${doc.consumerName}`, MARGIN);
  if (invoice.finalizedAt) right(`Issued: ${day(invoice.finalizedAt)}`, A4[0] - MARGIN);
  next(2);

  const cols = { description: MARGIN, quantity: 360, unit: 450, amount: A4[0] - MARGIN };
  write('Description', cols.description, bold);
  right('Quantity', cols.quantity, bold);
  right('Unit price', cols.unit, bold);
  right('Amount', cols.amount, bold);
  next();
  for (const line of doc.lines) {
    write(line.description.length > 52 ? `${line.description.slice(0, 51)}...` : line.description, cols.description);
    right(line.quantity.toString(), cols.quantity);
    right(formatUsd(line.unitPriceMicros), cols.unit);
    right(formatUsd(line.amountMicros), cols.amount);
    next();
  }
  next();
  const total = (label: string, micros: bigint, font: PDFFont = regular) => {
    right(label, cols.unit, font);
    right(formatUsd(micros), cols.amount, font);
    next();
  };
  total('Subtotal', invoice.subtotalMicros);
  total(`Tax (${(invoice.taxRateBps / 100).toFixed(2)} %)`, invoice.taxMicros);
  total(`Total (${invoice.currency})`, invoice.totalMicros, bold);
  for (const note of doc.creditNotes) total(`Credit note ${day(note.createdAt)}`, -note.amountMicros);
  if (invoice.paidAt) {
    next();
    write(`Paid on ${day(invoice.paidAt)}${invoice.paymentReference ? `, reference ${invoice.paymentReference}` : ''}.`, MARGIN);
  }
  return pdf.save();
}
