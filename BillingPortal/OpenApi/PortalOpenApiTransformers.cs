using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using BillingPortal.Core.Ingestion;
using BillingPortal.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BillingPortal.OpenApi;

/// <summary>Title, description, tags and the two security schemes of the document.</summary>
internal sealed class PortalDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string OrganizerKeyScheme = "OrganizerApiKey";
    public const string PlatformKeyScheme = "PlatformApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "BillingPortal API",
            Version = PortalOpenApi.DocumentName,
            Description = """
                Two APIs under `/api/v1`, each with its own key:

                * **Organizer API** (read-only): an organizer's ERP or scripts read its own figures with an organizer API
                  key (`bp_live_…`), created by an owner in the portal and shown once. The organizer is always the key's.
                * **Ingestion API**: the ticketing platform pushes organizers, events and purchases with the platform key.

                Errors are `application/problem+json` (RFC 9457) with `errors: [{field, rule, message}]`: `field` and `rule`
                are stable, `message` is Spanish. Amounts are soles (PEN) as JSON numbers with two decimals; dates are
                `yyyy-MM-dd` in the organizer's time zone (America/Lima). Guides: docs/api/organizer-api.md and docs/api/ingestion.md.
                """,
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OrganizerKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "bp_live_<id>_<secret>",
            Description = "An organizer API key, sent as `Authorization: Bearer bp_live_…` (or in the `X-Api-Key` header). " +
                          "Read-only and scoped to the organizer that created it; an owner creates and revokes keys in the portal.",
        };
        document.Components.SecuritySchemes[PlatformKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "The ticketing platform's key (configuration `Ingestion:ApiKeys`), in `X-Api-Key` (or as `Authorization: Bearer`).",
        };

        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = OrganizerApiEndpoints.Tag, Description = "Read an organizer's figures with its organizer API key." },
            new() { Name = "Ingestion", Description = "The ticketing platform's push of organizers, events and purchases (all-or-nothing per request)." },
        };
        RemoveUnusedProblemDetails(document);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The framework's generic ProblemDetails schema stays registered after the operations point to the documented error
    /// bodies; drop it unless an operation still refers to it.
    /// </summary>
    private static void RemoveUnusedProblemDetails(OpenApiDocument document)
    {
        const string name = "ProblemDetails";
        var used = document.Paths.Values
            .SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            .SelectMany(o => o.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>())
            .SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>())
            .Any(m => m.Schema is OpenApiSchemaReference { Reference.Id: name });
        if (!used) document.Components?.Schemas?.Remove(name);
    }
}

/// <summary>
/// Per operation: the security requirement (organizer key or platform key), the summary endpoint's query parameters,
/// the ingestion endpoints' request bodies (they read the body themselves, so nothing declares it), the documented
/// error body and an example for every body.
/// </summary>
internal sealed class PortalOperationTransformer : IOpenApiOperationTransformer
{
    private const string Json = "application/json";

    private static readonly string IngestPrefix = IngestionEndpoints.RoutePrefix.TrimStart('/') + "/";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = context.Description.RelativePath ?? "";
        var document = context.Document!;
        if (path.StartsWith(IngestPrefix, StringComparison.Ordinal))
        {
            var resource = path[IngestPrefix.Length..];
            operation.Security = [Requirement(PortalDocumentTransformer.PlatformKeyScheme, document)];
            operation.Summary ??= $"Upsert {resource}";
            operation.Description ??= $"Validates every row, then inserts or updates all {resource} by the platform's id in one transaction, or writes nothing and lists every error.";
            var rowType = resource switch
            {
                "organizers" => typeof(IngestionBatch<OrganizerRow>),
                "events" => typeof(IngestionBatch<EventRow>),
                _ => typeof(IngestionBatch<PurchaseRow>),
            };
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "`{\"items\": [...]}`, at most 10,000 rows, snake_case, read strictly (unknown or repeated fields are refused).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Json] = new() { Schema = await context.GetOrCreateSchemaAsync(rowType, null, cancellationToken), Example = OpenApiExamples.IngestionRequest(resource) },
                },
            };
            var problem = await SchemaReferenceAsync<IngestionProblem>(context, cancellationToken);
            SetExample(operation, "200", Json, OpenApiExamples.IngestionAccepted());
            foreach (var status in new[] { "400", "401", "413", "415" }) SetSchema(operation, status, ApiProblem.ContentType, problem);
            SetExample(operation, "400", ApiProblem.ContentType, OpenApiExamples.IngestionRejected());
            SetExample(operation, "401", ApiProblem.ContentType, OpenApiExamples.IngestionUnauthorized());
            return;
        }

        operation.Security = [Requirement(PortalDocumentTransformer.OrganizerKeyScheme, document)];
        var endpointName = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Select(n => n.EndpointName).FirstOrDefault();
        if (endpointName is "GetEvents" or "GetEvent")
        {
            if (endpointName == "GetEvent")
            {
                if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == "id" && p.In == ParameterLocation.Path) is { } idParameter)
                {
                    idParameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
                    idParameter.Description = "The event's `id` (from `GET /api/v1/events`). An event of another organizer is 404.";
                    idParameter.Example = JsonValue.Create(42);
                }
            }

            DescribeQuery(operation, "from", false, new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }, "2026-03-01",
                "First day of the period of the figures (yyyy-MM-dd), in the organizer's time zone. Give both `from` and `to`, or neither for all time.");
            DescribeQuery(operation, "to", false, new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }, "2026-03-31",
                "Last day of the period (yyyy-MM-dd), included; at most 366 days after `from`.");
            SetExample(operation, "200", Json, endpointName == "GetEvent" ? OpenApiExamples.Event() : OpenApiExamples.Events());
            SetExample(operation, "400", ApiProblem.ContentType, OpenApiExamples.BadPeriod());
            SetExample(operation, "401", ApiProblem.ContentType, OpenApiExamples.MissingKey());
            SetExample(operation, "404", ApiProblem.ContentType, OpenApiExamples.EventIdNotFound());
        }

        if (endpointName == "GetSummary")
        {
            DescribeQuery(operation, "from", true, new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }, "2026-03-01",
                "First day of the period (yyyy-MM-dd), a whole day in the organizer's time zone.");
            DescribeQuery(operation, "to", true, new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" }, "2026-03-31",
                "Last day of the period (yyyy-MM-dd), included; at most 366 days after `from`.");
            DescribeQuery(operation, "event_id", false, new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" }, null,
                "Limits the figures and the balance to one of the organizer's events. An event of another organizer is 404.");
            DescribeQuery(operation, "include", false, new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(OrganizerApiEndpoints.IncludeSeries)] }, null,
                "`series` adds `series`: the period's figures by day (periods up to 62 days) or by month; the points add up to `summary`.");
            SetExample(operation, "200", Json, OpenApiExamples.Summary());
            SetExample(operation, "400", ApiProblem.ContentType, OpenApiExamples.BadPeriod());
            SetExample(operation, "401", ApiProblem.ContentType, OpenApiExamples.MissingKey());
            SetExample(operation, "404", ApiProblem.ContentType, OpenApiExamples.EventNotFound());
        }
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    private static async Task<IOpenApiSchema> SchemaReferenceAsync<T>(OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = typeof(T).Name;
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(name) != true)
            document.AddComponent(name, await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken));
        return new OpenApiSchemaReference(name, document);
    }

    private static void DescribeQuery(OpenApiOperation operation, string name, bool required, OpenApiSchema schema, string? example, string description)
    {
        if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Query) is not { } parameter)
            return;
        parameter.Required = required;
        parameter.Schema = schema;
        parameter.Description = description;
        if (example is not null) parameter.Example = JsonValue.Create(example);
    }

    private static void SetSchema(OpenApiOperation operation, string status, string contentType, IOpenApiSchema schema)
    {
        if (operation.Responses?.TryGetValue(status, out var response) == true && response.Content?.TryGetValue(contentType, out var media) == true)
            media.Schema = schema;
    }

    private static void SetExample(OpenApiOperation operation, string status, string contentType, JsonNode? example)
    {
        if (operation.Responses?.TryGetValue(status, out var response) == true && response.Content?.TryGetValue(contentType, out var media) == true)
            media.Example = example;
    }
}

/// <summary>
/// Makes schemas say what goes on the wire: numbers are numbers (the host's lenient reading of numeric strings is not
/// part of the contract), decimals are format <c>decimal</c>, and ingestion rows use the snake_case names of
/// <see cref="IngestionJsonContext"/> (their types carry no attributes, the context's naming policy names them).
/// </summary>
internal sealed class PortalSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Number) || type.HasFlag(JsonSchemaType.Integer)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        // A property left out when null (JsonIgnoreCondition.WhenWritingNull) is not required on the wire.
        if (schema.Required is { Count: > 0 } required)
        {
            foreach (var property in context.JsonTypeInfo.Properties.Where(p => p.ShouldSerialize is not null))
                required.Remove(property.Name);
        }

        var clrType = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (clrType == typeof(decimal)) schema.Format = "decimal";

        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 } properties
            && IngestionJsonContext.Default.GetTypeInfo(clrType) is { Kind: JsonTypeInfoKind.Object } wire)
        {
            var wireNames = wire.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (property.AttributeProvider is not MemberInfo member) continue;
                var wireName = JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
                if (wireName == property.Name || !wireNames.Contains(wireName) || !properties.Remove(property.Name, out var propertySchema)) continue;
                properties[wireName] = propertySchema;
                if (schema.Required?.Remove(property.Name) == true) schema.Required.Add(wireName);
            }
        }

        return Task.CompletedTask;
    }
}
