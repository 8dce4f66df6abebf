using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingPortal.Core.MercadoPago.Contracts;

/// <summary>
/// A refund's <c>source</c>: the reference types it as an array, real payloads show an object (§4.1).
/// Reads both (the first element of an array); writes the object form.
/// </summary>
public sealed class RefundSourceConverter : JsonConverter<MpRefundSource?>
{
    public override bool HandleNull => true;

    public override MpRefundSource? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                return ReadObject(ref reader);
            case JsonTokenType.StartArray:
                MpRefundSource? first = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var item = ReadObject(ref reader);
                        first ??= item;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                return first;
            default:
                throw new JsonException($"«source» debe ser un objeto o una lista y llegó {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, MpRefundSource? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteString(writer, "id", value.Id);
        WriteString(writer, "name", value.Name);
        WriteString(writer, "type", value.Type);
        writer.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    private static MpRefundSource ReadObject(ref Utf8JsonReader reader)
    {
        string? id = null, name = null, type = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "id":
                    id = ReadScalar(ref reader);
                    break;
                case "name":
                    name = ReadScalar(ref reader);
                    break;
                case "type":
                    type = ReadScalar(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new MpRefundSource { Id = id, Name = name, Type = type };
    }

    private static string? ReadScalar(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            default:
                reader.Skip();
                return null;
        }
    }
}
