namespace BillingPortal.Core.Demo;

/// <summary>Kinds of event the demo invents.</summary>
internal enum DemoCategory
{
    Concert,
    Festival,
    Theatre,
    StandUp,
    Sports,
}

/// <summary>A way to pay, with the illustrative Mercado Pago fee and release delay the demo applies to it.</summary>
/// <param name="PaymentMethodId">Mercado Pago's <c>payment_method_id</c>.</param>
/// <param name="PaymentTypeId">Mercado Pago's <c>payment_type_id</c>.</param>
/// <param name="IssuerId">An illustrative <c>issuer_id</c> (cards only).</param>
/// <param name="FeeRate">Mercado Pago's fee as a share of the gross (IGV included; illustrative).</param>
/// <param name="FeeFixed">A fixed part of the fee per payment, in soles (illustrative).</param>
/// <param name="ReleaseDays">Days from approval to <c>money_release_date</c>.</param>
/// <param name="Weight">Relative share of purchases paid this way.</param>
/// <param name="Bin">First six digits of the demo cards (cards only).</param>
internal sealed record DemoPaymentMethod(
    string PaymentMethodId,
    string PaymentTypeId,
    string? IssuerId,
    decimal FeeRate,
    decimal FeeFixed,
    int ReleaseDays,
    double Weight,
    string? Bin)
{
    public bool IsCard => PaymentTypeId is DemoCatalog.CreditCard or DemoCatalog.DebitCard;

    public bool IsCredit => PaymentTypeId == DemoCatalog.CreditCard;

    public bool IsCash => PaymentTypeId == DemoCatalog.Atm;

    public bool IsWallet => PaymentTypeId == DemoCatalog.DigitalWallet;
}

/// <summary>A ticket type of an event: its name, code and price range (soles, before rounding to a price point).</summary>
internal sealed record DemoTierTemplate(string Name, string Code, int MinPrice, int MaxPrice, double Weight);

/// <summary>A venue in a city, with the kinds of event it hosts.</summary>
internal sealed record DemoVenue(string City, string Name, int Capacity, DemoCategory[] Hosts);

/// <summary>An organizer the demo may create: razón social (or a person's name), home city and speciality.</summary>
internal sealed record DemoOrganizerTemplate(string LegalName, string Slug, string HomeCity, DemoCategory[] Speciality, bool IsPerson);

/// <summary>
/// Every constant of the demo data in one place (docs/performance.md and the seeder's remarks refer to it).
/// Nothing here is real Mercado Pago pricing or a real company: names and numbers are illustrative.
/// </summary>
internal static class DemoCatalog
{
    public const string CreditCard = "credit_card";
    public const string DebitCard = "debit_card";
    public const string Atm = "atm";
    public const string DigitalWallet = "digital_wallet";

    /// <summary>
    /// Yape through Mercado Pago: <c>payment_method_id = "yape"</c>, <c>payment_type_id = "digital_wallet"</c>.
    /// The real id is UNCONFIRMED (../shared/mercadopago-api.md §8, §9.13); both values are a choice made here,
    /// kept in this one constant so they are easy to change once confirmed.
    /// </summary>
    public const string YapeMethodId = "yape";

    /// <summary>PagoEfectivo (cash at agents and banks), as documented: <c>pagoefectivo_atm</c>, type <c>atm</c>.</summary>
    public const string PagoEfectivoMethodId = "pagoefectivo_atm";

    /// <summary>The platform's Mercado Pago user id (the marketplace owner of every payment).</summary>
    public const long MarketplaceUserId = 112_233_445;

    public const string StatementDescriptor = "MERCADOPAGO*TICKETS";

    public const string NotificationUrl = "https://portal.example.pe/webhooks/mercadopago?source_news=webhooks";

    /// <summary>
    /// Illustrative Mercado Pago fees (IGV included) and release delays: credit cards 3.79% (American Express and
    /// Diners 4.49%), debit cards 2.99%, all released after 14 days; Yape 2.95% released after 2 days; PagoEfectivo
    /// 3.49% + S/ 1.00 released after 3 days. Shares: cards 74%, Yape 19%, PagoEfectivo 7%.
    /// </summary>
    public static readonly DemoPaymentMethod[] Methods =
    [
        new("visa", CreditCard, "1", 0.0379m, 0m, 14, 34, "400917"),
        new("master", CreditCard, "2", 0.0379m, 0m, 14, 16, "503175"),
        new("amex", CreditCard, "3", 0.0449m, 0m, 14, 4, "371180"),
        new("diners", CreditCard, "4", 0.0449m, 0m, 14, 2, "360935"),
        new("visa", DebitCard, "1", 0.0299m, 0m, 14, 12, "421355"),
        new("master", DebitCard, "2", 0.0299m, 0m, 14, 6, "557039"),
        new(YapeMethodId, DigitalWallet, null, 0.0295m, 0m, 2, 19, null),
        new(PagoEfectivoMethodId, Atm, null, 0.0349m, 1.00m, 3, 7, null),
    ];

    public static readonly string[] Cities = ["Lima", "Arequipa", "Cusco", "Trujillo", "Piura"];

    public static readonly DemoVenue[] Venues =
    [
        new("Lima", "Estadio Nacional", 40_000, [DemoCategory.Concert, DemoCategory.Festival, DemoCategory.Sports]),
        new("Lima", "Arena Costa Verde", 12_000, [DemoCategory.Concert, DemoCategory.Sports]),
        new("Lima", "Gran Teatro Nacional", 1_400, [DemoCategory.Theatre, DemoCategory.Concert]),
        new("Lima", "Teatro Municipal de Lima", 1_000, [DemoCategory.Theatre, DemoCategory.StandUp]),
        new("Lima", "Parque de la Exposición", 8_000, [DemoCategory.Festival, DemoCategory.Concert]),
        new("Lima", "Centro de Convenciones de Lima", 3_500, [DemoCategory.StandUp, DemoCategory.Concert]),
        new("Lima", "Teatro Peruano Japonés", 900, [DemoCategory.Theatre, DemoCategory.StandUp]),
        new("Lima", "Coliseo Eduardo Dibós", 5_000, [DemoCategory.Sports, DemoCategory.Concert]),
        new("Arequipa", "Estadio Monumental de la UNSA", 40_000, [DemoCategory.Concert, DemoCategory.Festival, DemoCategory.Sports]),
        new("Arequipa", "Teatro Municipal de Arequipa", 900, [DemoCategory.Theatre, DemoCategory.StandUp]),
        new("Arequipa", "Centro de Convenciones Cerro Juli", 6_000, [DemoCategory.Concert, DemoCategory.Festival, DemoCategory.StandUp]),
        new("Cusco", "Coliseo Cerrado de Cusco", 4_000, [DemoCategory.Concert, DemoCategory.Sports]),
        new("Cusco", "Centro de Convenciones del Cusco", 1_200, [DemoCategory.Theatre, DemoCategory.StandUp]),
        new("Cusco", "Explanada de Sacsayhuamán", 15_000, [DemoCategory.Festival]),
        new("Trujillo", "Estadio Mansiche", 25_000, [DemoCategory.Concert, DemoCategory.Sports, DemoCategory.Festival]),
        new("Trujillo", "Teatro Municipal de Trujillo", 800, [DemoCategory.Theatre, DemoCategory.StandUp]),
        new("Trujillo", "Coliseo Gran Chimú", 6_000, [DemoCategory.Concert, DemoCategory.Sports]),
        new("Piura", "Estadio Miguel Grau de Piura", 25_000, [DemoCategory.Concert, DemoCategory.Sports, DemoCategory.Festival]),
        new("Piura", "Teatro Municipal de Piura", 700, [DemoCategory.Theatre, DemoCategory.StandUp]),
        new("Piura", "Centro de Convenciones Los Tallanes", 3_000, [DemoCategory.Concert, DemoCategory.StandUp]),
    ];

    /// <summary>The first organizer: the one with the most sales, the same name whatever the seed.</summary>
    public static readonly DemoOrganizerTemplate DemoOrganizer = new(
        "Pacífico Sur Producciones S.A.C.", "pacificosur", "Lima",
        [DemoCategory.Concert, DemoCategory.Festival, DemoCategory.Sports, DemoCategory.Theatre, DemoCategory.StandUp], false);

    public static readonly DemoOrganizerTemplate[] Companies =
    [
        new("Andes Live Entretenimiento S.A.C.", "andeslive", "Lima", [DemoCategory.Concert, DemoCategory.Festival], false),
        new("Teatro del Puerto E.I.R.L.", "teatrodelpuerto", "Lima", [DemoCategory.Theatre], false),
        new("Arequipa Eventos y Espectáculos S.R.L.", "aqpeventos", "Arequipa", [DemoCategory.Concert, DemoCategory.StandUp, DemoCategory.Sports], false),
        new("Cusco Fest Producciones S.A.C.", "cuscofest", "Cusco", [DemoCategory.Festival, DemoCategory.Concert], false),
        new("Norte Vivo Espectáculos S.R.L.", "nortevivo", "Trujillo", [DemoCategory.Concert, DemoCategory.Sports], false),
        new("Risas Perú Producciones E.I.R.L.", "risasperu", "Lima", [DemoCategory.StandUp], false),
        new("Deportes y Eventos del Sur S.A.C.", "deportesur", "Arequipa", [DemoCategory.Sports], false),
        new("Sonido Costa Verde S.R.L.", "sonidocosta", "Lima", [DemoCategory.Concert], false),
        new("Piura Show Eventos E.I.R.L.", "piurashow", "Piura", [DemoCategory.Concert, DemoCategory.StandUp], false),
        new("Escena Limeña Producciones S.A.C.", "escenalimena", "Lima", [DemoCategory.Theatre, DemoCategory.StandUp], false),
        new("Ruta Inca Conciertos S.A.C.", "rutainca", "Cusco", [DemoCategory.Concert], false),
    ];

    public static readonly DemoOrganizerTemplate[] Persons =
    [
        new("Rosa Elena Quispe Huamán", "rosaquispe", "Lima", [DemoCategory.StandUp, DemoCategory.Theatre], true),
        new("Carlos Alberto Mendoza Ríos", "carlosmendoza", "Arequipa", [DemoCategory.StandUp], true),
        new("Lucía Fernanda Torres Vílchez", "luciatorres", "Trujillo", [DemoCategory.Theatre], true),
    ];

    public static string[] EventNames(DemoCategory category) => category switch
    {
        DemoCategory.Concert =>
        [
            "Noche de Salsa con la Orquesta del Callao", "Los Andes en Concierto", "Rock en Español: Gira Aniversario",
            "Cumbia Norteña en Vivo", "Sinfónica de Cámara: Clásicos del Cine", "Noche Criolla: Valses y Festejos",
            "Jazz bajo las Estrellas", "Urbano Tour en Vivo", "Baladas del Recuerdo", "Boleros de Siempre",
        ],
        DemoCategory.Festival =>
        [
            "Festival Ritmo del Sur", "Festival Costa Verde", "Festival Sonidos del Ande", "Festival Pacífico Sonoro",
            "Inti Fest", "Festival Sabores y Música",
        ],
        DemoCategory.Theatre =>
        [
            "La Casa de Bernarda Alba", "El Avaro", "Ña Catita", "Romeo y Julieta", "El Principito", "Yerma",
            "Don Quijote, el Musical", "La Señorita de Tacna",
        ],
        DemoCategory.StandUp =>
        [
            "Noche de Risas", "Crónicas de un Limeño", "Comedia sin Filtro", "Risas en la Costa", "Open Mic Especial",
            "Stand-up de Barrio",
        ],
        DemoCategory.Sports =>
        [
            "Clásico de Vóley: Lima vs Arequipa", "Maratón Costa Verde 10K", "Copa de Fútsal Interuniversitaria",
            "Noche de Box Profesional", "Final de la Liga de Básquet", "Carrera Nocturna 5K",
        ],
    };

    public static DemoTierTemplate[] Tiers(DemoCategory category) => category switch
    {
        DemoCategory.Concert => [new("General", "GEN", 60, 180, 0.6), new("Preferencial", "PREF", 120, 280, 0.3), new("VIP", "VIP", 250, 450, 0.1)],
        DemoCategory.Festival => [new("General", "GEN", 150, 280, 0.7), new("VIP", "VIP", 300, 450, 0.3)],
        DemoCategory.Theatre => [new("Platea", "PLA", 60, 150, 0.6), new("Mezzanine", "MEZ", 30, 90, 0.4)],
        DemoCategory.StandUp => [new("General", "GEN", 35, 80, 0.7), new("Preferencial", "PREF", 60, 120, 0.3)],
        DemoCategory.Sports => [new("Popular", "POP", 30, 60, 0.5), new("Oriente", "ORI", 60, 180, 0.4), new("Palco", "PAL", 250, 450, 0.1)],
    };

    /// <summary>How strongly an event of each kind sells, relative to the others.</summary>
    public static double Popularity(DemoCategory category) => category switch
    {
        DemoCategory.Festival => 3.0,
        DemoCategory.Concert => 2.0,
        DemoCategory.Sports => 1.4,
        DemoCategory.Theatre => 0.8,
        DemoCategory.StandUp => 0.6,
    };

    /// <summary>Local hour at which a show of each kind starts.</summary>
    public static int StartHour(DemoCategory category) => category switch
    {
        DemoCategory.Festival => 14,
        DemoCategory.Sports => 18,
        DemoCategory.Theatre => 20,
        DemoCategory.Concert => 21,
        DemoCategory.StandUp => 21,
    };

    /// <summary>Tickets per purchase: 1 to 6, pairs most common.</summary>
    public static readonly double[] TicketWeights = [0.28, 0.38, 0.10, 0.16, 0.04, 0.04];

    /// <summary>Purchases by local hour (Lima): quiet at night, peaks at lunch and in the evening.</summary>
    public static readonly double[] HourWeights =
    [
        0.40, 0.25, 0.15, 0.10, 0.10, 0.15, 0.30, 0.60, 0.90, 1.10, 1.30, 1.50,
        1.70, 1.60, 1.40, 1.30, 1.40, 1.60, 1.90, 2.20, 2.40, 2.30, 1.80, 1.00,
    ];

    /// <summary>Purchases by weekday (Monday first): Friday and Saturday busiest.</summary>
    public static readonly double[] WeekdayFactors = [0.80, 0.85, 0.95, 1.05, 1.30, 1.25, 1.00];

    public static readonly string[] FirstNames =
    [
        "María", "José", "Luis", "Ana", "Carlos", "Rosa", "Jorge", "Carmen", "Juan", "Lucía", "Miguel", "Sofía",
        "Diego", "Valeria", "Renzo", "Camila", "Piero", "Daniela", "Alonso", "Fiorella", "Gonzalo", "Milagros",
        "Sebastián", "Andrea", "Fernando", "Ximena", "Raúl", "Gabriela", "Martín", "Alessandra", "Víctor", "Patricia",
    ];

    public static readonly string[] Surnames =
    [
        "Quispe", "Flores", "Sánchez", "Rodríguez", "García", "Mamani", "Huamán", "Rojas", "Chávez", "Vásquez",
        "Ramírez", "Torres", "Mendoza", "Díaz", "Castillo", "Espinoza", "Gutiérrez", "Salazar", "Vargas", "Paredes",
        "Cárdenas", "Delgado", "Ríos", "Alvarado", "Zevallos", "Huanca", "Cóndor", "Palomino", "Villanueva", "Aguilar",
        "Ccori", "Yupanqui", "Núñez", "Peña", "Ortiz", "León",
    ];

    /// <summary>Reserved example domains (RFC 2606): buyers' emails look real and reach nobody.</summary>
    public static readonly string[] EmailDomains = ["example.com", "example.net", "example.org", "correo.example"];

    /// <summary>Rejection details for cards (§3.4), most common first.</summary>
    public static readonly string[] CardRejections =
    [
        "cc_rejected_insufficient_amount", "cc_rejected_bad_filled_security_code", "cc_rejected_call_for_authorize",
        "cc_rejected_other_reason", "cc_rejected_high_risk", "cc_rejected_bad_filled_date",
    ];

    public static readonly double[] CardRejectionWeights = [0.35, 0.2, 0.15, 0.15, 0.1, 0.05];
}
