using System.Text;

namespace BillingPortal.Core.Statements.Rendering;

/// <summary>
/// The «Movimientos» of a statement as CSV: UTF-8 with a BOM (so Excel reads the accents), comma or semicolon
/// separated, one header row with the same columns as the Excel sheet, numbers with a dot and two decimals, dates as
/// <c>yyyy-MM-dd HH:mm:ss</c> in the organizer's time zone. Text that a spreadsheet would run as a formula
/// (<c>= + - @</c>, tab, CR) gets a leading apostrophe. Streams: memory does not grow with the lines.
/// </summary>
public static class CsvStatementRenderer
{
    public static async Task RenderAsync(StatementDocument statement, Stream output, char separator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (separator is not (',' or ';')) throw new ArgumentOutOfRangeException(nameof(separator), separator, "The separator is ',' or ';'.");
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 1 << 16, leaveOpen: true);
        var line = new StringBuilder(256);
        AppendRow(line, separator, StatementTexts.MovementColumns);
        await writer.WriteAsync(line, cancellationToken);

        await foreach (var l in statement.Lines(cancellationToken).WithCancellation(cancellationToken))
        {
            line.Clear();
            AppendRow(line, separator,
            [
                l.LocalDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                l.PaymentId.ToString(CultureInfo.InvariantCulture),
                l.PurchaseReference ?? "",
                l.EventName ?? "",
                StatementTexts.Method(l.PaymentMethodId, l.PaymentTypeId),
                StatementTexts.Kind(l.Kind),
                StatementTexts.Status(l.PaymentStatus),
                l.Tickets.ToString(CultureInfo.InvariantCulture),
                Money(l.Gross), Money(l.MercadoPagoFee), Money(l.CommissionBase), Money(l.CommissionIgv), Money(l.OtherFees), Money(l.Net),
                l.ReleaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                StatementTexts.Release(l.ReleaseStatus),
                l.BuyerEmailMasked ?? "",
            ], numericFrom: 7, numericTo: 13);
            await writer.WriteAsync(line, cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static void AppendRow(StringBuilder line, char separator, IReadOnlyList<string> cells, int numericFrom = -1, int numericTo = -1)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) line.Append(separator);
            var numeric = i >= numericFrom && i <= numericTo;
            AppendCell(line, separator, cells[i], numeric);
        }

        line.Append("\r\n");
    }

    private static void AppendCell(StringBuilder line, char separator, string value, bool numeric)
    {
        if (!numeric && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        var quote = value.Contains(separator, StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
                    || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal);
        if (!quote)
        {
            line.Append(value);
            return;
        }

        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
