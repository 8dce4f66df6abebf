using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using BillingPortal.Core.Identity;
using BillingPortal.Core.Statements;
using Microsoft.Extensions.Caching.Hybrid;

namespace BillingPortal.Core.Caching;

/// <summary>A rendered statement: its file name and bytes (what a small statement download answers).</summary>
public sealed record StatementFile(string FileName, byte[] Content);

/// <summary>What <see cref="CachedStatements.RequestAsync"/> answered.</summary>
public abstract record CachedStatementResult
{
    /// <summary>A small statement's file, rendered now or served from the cache (<see cref="FromCache"/>).</summary>
    public sealed record File(StatementFile Statement, bool FromCache) : CachedStatementResult;

    /// <summary>Anything but a file to send now: queued, refused, not found (never cached).</summary>
    public sealed record Other(StatementExportDecision Decision) : CachedStatementResult;
}

/// <summary>
/// Small statements through the report cache: the bytes of an immediate statement are kept under the organizer, period,
/// event, format, CSV separator and Lima date (<see cref="ReportCacheKeys.Statement"/>), so a repeated download is
/// served without querying or rendering. Large (queued) statements, refusals and «not found» are never cached. The
/// caller has authorised the organizer (<see cref="OrganizerAccess"/>); statements mask buyer data for every role, so
/// the role is not part of the key.
/// </summary>
public sealed class CachedStatements(StatementExports exports, ReportCache cache)
{
    public async Task<CachedStatementResult> RequestAsync(OrganizerAccess access, StatementRequest request, StatementFormat format, char separator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(request);
        if (request.OrganizerId != access.OrganizerId) return new CachedStatementResult.Other(new StatementExportDecision.NotFound());
        var key = ReportCacheKeys.Statement(request, format, separator, cache.Today);
        if (await cache.TryGetAsync<StatementFile>(key, cancellationToken) is { } cached) return new CachedStatementResult.File(cached, FromCache: true);

        var generation = cache.GenerationOf(request.OrganizerId);
        var decision = await exports.RequestAsync(access, request, format, separator, cancellationToken);
        if (decision is not StatementExportDecision.Immediate immediate) return new CachedStatementResult.Other(decision);

        // Small by definition (at most Statements:BackgroundThresholdLines lines): rendered in memory.
        using var buffer = new MemoryStream();
        await StatementExports.RenderAsync(immediate.Document, format, separator, buffer, cancellationToken);
        var file = new StatementFile(immediate.FileName, buffer.ToArray());
        if (file.Content.Length <= cache.MaxEntryBytes) await cache.SetAsync(key, file, generation, cancellationToken);
        return new CachedStatementResult.File(file, FromCache: false);
    }
}

/// <summary>
/// <see cref="StatementFile"/> in the cache as raw bytes, not JSON (base64 would add a third): the name's UTF-8 length
/// (4 bytes, little-endian), the name, then the file.
/// </summary>
internal sealed class StatementFileSerializer : IHybridCacheSerializer<StatementFile>
{
    public StatementFile Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new SequenceReader<byte>(source);
        if (!reader.TryReadLittleEndian(out int nameLength) || nameLength < 0 || reader.Remaining < nameLength)
            throw new InvalidDataException("A cached statement file is truncated.");
        var name = Encoding.UTF8.GetString(source.Slice(reader.Position, nameLength));
        reader.Advance(nameLength);
        return new StatementFile(name, source.Slice(reader.Position).ToArray());
    }

    public void Serialize(StatementFile value, IBufferWriter<byte> target)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(target);
        var name = Encoding.UTF8.GetBytes(value.FileName);
        BinaryPrimitives.WriteInt32LittleEndian(target.GetSpan(4), name.Length);
        target.Advance(4);
        target.Write(name);
        target.Write(value.Content);
    }
}
