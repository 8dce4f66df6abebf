namespace BillingPortal.Endpoints;

/// <summary>The ticketing platform's ingestion API (<c>/api/v1/ingest/*</c>).</summary>
public static class IngestionEndpoints
{
    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app) => app;
}
