using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>
/// Reads an identifier that Mercado Pago sends sometimes as a JSON string and sometimes as a number (order ids,
/// payer ids, error cause codes, …) into a string; writes it back as a string.
/// </summary>
public sealed class LenientStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => throw new JsonException($"Se esperaba texto o número y llegó {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
