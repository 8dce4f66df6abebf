namespace BillingPortal.Core.Demo;

/// <summary>Seeding refused: the database already has organizers (demo data never goes on top of real data).</summary>
public sealed class DemoDatabaseNotEmptyException : InvalidOperationException
{
    public const string DefaultMessage =
        "La base de datos ya tiene organizadores: no se generan datos de demostración encima de datos existentes " +
        "(use --reset para borrarlo todo y volver a generar). / The database already has organizers: demo data is " +
        "never generated on top of existing data (use --reset to delete everything and generate again).";

    public DemoDatabaseNotEmptyException()
        : base(DefaultMessage)
    {
    }

    public DemoDatabaseNotEmptyException(string message)
        : base(message)
    {
    }

    public DemoDatabaseNotEmptyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
