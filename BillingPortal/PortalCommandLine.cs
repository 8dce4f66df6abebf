using BillingPortal.Core.Data;
using BillingPortal.Core.Demo;

namespace BillingPortal;

/// <summary>
/// The executable's commands: no arguments (or only configuration switches such as <c>--urls</c>) serves the
/// portal; <c>migrate</c> applies migrations; <c>seed</c> generates demo data. Anything else prints usage and
/// exits with code 2.
/// </summary>
public static class PortalCommandLine
{
    /// <summary>Exit code of <c>seed</c> on a database that already has organizers (without <c>--reset</c>).</summary>
    public const int SeedRefusedExitCode = 3;

    public const string Usage = """
        Uso / Usage:
          BillingPortal                      Sirve el portal / serves the portal
          BillingPortal migrate              Aplica las migraciones / applies database migrations
          BillingPortal seed [--scale N] [--seed S] [--anchor YYYY-MM-DD] [--reset]
                                             Genera datos de demostración / generates demo data
                                             N: compras / purchases (1..5000000, default 20000)
                                             S: semilla / random seed (default 42)
                                             --anchor: los datos terminan el día anterior (hora de Lima; por defecto hoy)
                                                       data ends the day before (Lima; default today)
                                             --reset: borra TODOS los datos antes (si no, una base con organizadores se rechaza)
                                                      deletes ALL data first (otherwise a database with organizers is refused)
          Configuration switches (e.g. --Database:Provider SqlServer) may follow any command.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return 0;
        }

        if (args.Length == 0 || args[0].StartsWith('-'))
        {
            var app = WebApplication.CreateBuilder(args).AddBillingPortal().Build();
            app.UseBillingPortal();
            await app.RunAsync();
            return 0;
        }

        var command = args[0];
        var rest = args[1..];
        switch (command)
        {
            case "migrate":
                return await RunToolAsync(rest, async (services, ct) =>
                {
                    await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                    return 0;
                });
            case "seed":
                if (!SeedArguments.TryParse(rest, out var seedArgs, out var configArgs, out var error))
                {
                    await Console.Error.WriteLineAsync(error);
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
                }

                return await RunToolAsync(configArgs, async (services, ct) =>
                {
                    await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                    try
                    {
                        var result = await services.GetRequiredService<DemoSeeder>().SeedAsync(seedArgs.ToRequest(), ct);
                        Console.WriteLine(result.ToString());
                        return 0;
                    }
                    catch (DemoDatabaseNotEmptyException refused)
                    {
                        await Console.Error.WriteLineAsync(refused.Message);
                        return SeedRefusedExitCode;
                    }
                });
            case "help":
                Console.WriteLine(Usage);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"Comando desconocido / unknown command: {command}");
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static async Task<int> RunToolAsync(string[] args, Func<IServiceProvider, CancellationToken, Task<int>> body)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddBillingPortalCore();
        await using var app = builder.Build();
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return await body(app.Services, cts.Token);
    }
}

/// <summary>Arguments of the <c>seed</c> command.</summary>
public sealed record SeedArguments(int Scale, int Seed)
{
    public const int MaxScale = SeedRequest.MaxScale;

    /// <summary><c>--anchor</c>: the Lima date the data ends before (null: today in Lima).</summary>
    public DateOnly? Anchor { get; init; }

    /// <summary><c>--reset</c>: delete everything before seeding.</summary>
    public bool Reset { get; init; }

    public SeedRequest ToRequest() => new(Scale, Seed) { AnchorDate = Anchor, Reset = Reset };

    /// <summary>Parses <c>--scale N --seed S --anchor D --reset</c>; configuration switches (<c>--Section:Key value</c>) pass through.</summary>
    public static bool TryParse(string[] args, out SeedArguments parsed, out string[] configurationArgs, out string error)
    {
        int scale = SeedRequest.DefaultScale, seed = SeedRequest.DefaultSeed;
        DateOnly? anchor = null;
        var reset = false;
        var passThrough = new List<string>();
        parsed = new SeedArguments(scale, seed);
        configurationArgs = [];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scale":
                    if (i + 1 >= args.Length || !int.TryParse(args[++i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out scale)
                        || scale < 1 || scale > MaxScale)
                    {
                        error = $"--scale debe ser un entero entre 1 y {MaxScale} / --scale must be an integer from 1 to {MaxScale}.";
                        return false;
                    }

                    break;
                case "--seed":
                    if (i + 1 >= args.Length || !int.TryParse(args[++i], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out seed))
                    {
                        error = "--seed debe ser un entero / --seed must be an integer.";
                        return false;
                    }

                    break;
                case "--anchor":
                    if (i + 1 >= args.Length || !DateOnly.TryParseExact(args[++i], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
                    {
                        error = "--anchor debe ser una fecha AAAA-MM-DD / --anchor must be a date YYYY-MM-DD.";
                        return false;
                    }

                    anchor = date;
                    break;
                case "--reset":
                    reset = true;
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains(':', StringComparison.Ordinal))
                    {
                        passThrough.Add(args[i]);
                        if (i + 1 < args.Length && !args[i].Contains('=', StringComparison.Ordinal)) passThrough.Add(args[++i]);
                        break;
                    }

                    error = $"Argumento desconocido / unknown argument: {args[i]}";
                    return false;
            }
        }

        parsed = new SeedArguments(scale, seed) { Anchor = anchor, Reset = reset };
        configurationArgs = [.. passThrough];
        error = "";
        return true;
    }
}
