using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace BillingPortal.Core.Ingestion;

/// <summary>Why a request body could not be read.</summary>
public enum IngestionReadFailure
{
    None,
    BodyTooLarge,
    InvalidJson,
}

/// <summary>A request body read as a batch, or the reason it could not be.</summary>
public sealed record IngestionReadResult<TRow>(IngestionBatch<TRow>? Batch, IngestionReadFailure Failure, IngestionError? Error)
    where TRow : class;

/// <summary>
/// Reads an ingestion body: at most <c>maxBytes</c> (checked against the declared length first, then while reading,
/// so a chunked body cannot slip past), and JSON errors reported with the JSON path where they occur.
/// </summary>
public static partial class IngestionRequestReader
{
    public static async Task<IngestionReadResult<TRow>> ReadAsync<TRow>(
        Stream body, long? declaredLength, long maxBytes, JsonTypeInfo<IngestionBatch<TRow>> typeInfo, CancellationToken cancellationToken)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(body);
        if (declaredLength > maxBytes) return TooLarge<TRow>(maxBytes);
        try
        {
            await using var limited = new MaxLengthReadStream(body, maxBytes);
            var batch = await JsonSerializer.DeserializeAsync(limited, typeInfo, cancellationToken);
            return new IngestionReadResult<TRow>(batch ?? new IngestionBatch<TRow>(), IngestionReadFailure.None, null);
        }
        catch (BodyTooLargeException)
        {
            return TooLarge<TRow>(maxBytes);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            var match = RowInPath().Match(path);
            int? row = match.Success ? int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture) : null;
            var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } position
                ? string.Create(CultureInfo.InvariantCulture, $" (línea {line + 1}, posición {position + 1})")
                : "";
            var message = $"El JSON no es válido en {path}{where}: revise la sintaxis, el tipo de dato y el nombre del campo (solo se aceptan los campos documentados, una vez cada uno).";
            return new IngestionReadResult<TRow>(null, IngestionReadFailure.InvalidJson, new IngestionError(row, null, path, IngestionRules.InvalidJson, message));
        }
    }

    /// <summary>The 413 error for a body over <paramref name="maxBytes"/>.</summary>
    public static IngestionError BodyTooLargeError(long maxBytes) => new(
        null, null, "body", IngestionRules.BodyTooLarge,
        string.Create(CultureInfo.InvariantCulture, $"El cuerpo de la solicitud supera el límite de {maxBytes} bytes; envíe los datos en varias solicitudes."));

    private static IngestionReadResult<TRow> TooLarge<TRow>(long maxBytes)
        where TRow : class => new(null, IngestionReadFailure.BodyTooLarge, BodyTooLargeError(maxBytes));

    [GeneratedRegex(@"^\$\.items\[(\d{1,9})\]")]
    private static partial Regex RowInPath();

    private sealed class BodyTooLargeException : Exception
    {
        public BodyTooLargeException()
            : base("The request body is larger than the configured limit.")
        {
        }
    }

    /// <summary>A read-only pass-through that throws once more than the limit has been read.</summary>
    private sealed class MaxLengthReadStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > maxBytes) throw new BodyTooLargeException();
            return read;
        }
    }
}
