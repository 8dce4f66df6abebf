using BillingPortal.Core.Billing.Anomalies;
using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Billing.Ledger;
using BillingPortal.Core.Common;
using BillingPortal.Core.Events;
using BillingPortal.Core.Organizers;

namespace BillingPortal.Core.Demo;

/// <summary>An organizer of the demo world, with its template and plan.</summary>
internal sealed class DemoOrganizer(Organizer entity, DemoOrganizerTemplate template, CommissionPlan plan, double weight)
{
    public Organizer Entity { get; } = entity;

    public DemoOrganizerTemplate Template { get; } = template;

    public CommissionPlan Plan { get; } = plan;

    /// <summary>Relative share of events (the demo organizer's is the largest).</summary>
    public double Weight { get; } = weight;

    public long CollectorId => Entity.MercadoPagoUserId!.Value;
}

/// <summary>A ticket type with its fixed price.</summary>
internal sealed record DemoTier(string Name, string Code, decimal Price);

/// <summary>An event of the demo world and how it sells. Days are indexes from <see cref="DemoWorld.StartDate"/>.</summary>
internal sealed class DemoEvent
{
    public required Event Entity { get; init; }

    public required DemoOrganizer Organizer { get; init; }

    public required DemoCategory Category { get; init; }

    public required DemoTier[] Tiers { get; init; }

    public required double[] TierWeights { get; init; }

    public required double Popularity { get; set; }

    /// <summary>The day of the show (≥ 365: upcoming).</summary>
    public required int EventDay { get; init; }

    /// <summary>First day on sale (may be before the window).</summary>
    public required int OnSaleDay { get; init; }

    /// <summary>The day it was cancelled: no sales after it, and its sales are refunded.</summary>
    public int? CancelDay { get; set; }

    /// <summary>An event-specific plan (null: the organizer's).</summary>
    public CommissionPlan? Plan { get; set; }

    /// <summary>Installments without interest for the buyer: the organizer pays the financing fee.</summary>
    public bool InterestFreeInstallments { get; set; }

    public CommissionPlan EffectivePlan => Plan ?? Organizer.Plan;

    public LedgerPolicy Policy => LedgerPolicy.From(EffectivePlan);

    /// <summary>Whether it sells on a day of the window.</summary>
    public bool OnSale(int day) => day >= OnSaleDay && day < EventDay && (CancelDay is null || day < CancelDay);
}

/// <summary>The events on sale one day and their cumulative weights (for picking the event of each purchase).</summary>
internal sealed record DaySchedule(DemoEvent[] Events, double[] Cumulative);

/// <summary>
/// Everything the demo data hangs from, built deterministically from (purchases, seed, anchor date): plans,
/// organizers, events, the number of purchases of each day and which purchases carry an injected anomaly.
/// Entity ids are left at 0 for the database to assign (<see cref="AssignSequentialIds"/> sets 1..n in memory).
/// </summary>
internal sealed class DemoWorld
{
    /// <summary>The window of purchases: the 365 Lima days before the anchor date.</summary>
    public const int Days = 365;

    /// <summary>
    /// Payments whose figures are deliberately wrong, so the admins' anomaly views have something to show:
    /// one net mismatch (S/ 0.50 less received than the fees explain) and the rest commission mismatches (the
    /// platform charged the previous rate, one point above the plan). Count: scale / 4000, between 3 and 12
    /// (none below 50 purchases); only purchases that end in a sale carry one.
    /// </summary>
    public static int InjectedAnomalyCount(int purchases) => purchases < 50 ? 0 : Math.Clamp(purchases / 4000, 3, 12);

    private static readonly int[] OrganizerScaleSteps = [2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
    private static readonly double[] OrganizerWeights = [3.0, 1.6, 1.3, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4];

    public DemoWorld(int purchases, int seed, DateOnly anchorDate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(purchases);
        Purchases = purchases;
        Seed = seed;
        AnchorDate = anchorDate;
        StartDate = anchorDate.AddDays(-Days);
        Now = AccountingCalendar.Lima.StartOfDayUtc(anchorDate);
        var rng = new DemoRandom(seed, 0);
        Plans = BuildPlans(StartDate);
        Organizers = BuildOrganizers(rng);
        Events = BuildEvents(rng);
        Schedule = BuildSchedule();
        DayCounts = AllocateDays(purchases);
        DayFirstSeq = new long[Days];
        for (var d = 1; d < Days; d++) DayFirstSeq[d] = DayFirstSeq[d - 1] + DayCounts[d - 1];
        Injections = ChooseInjections(rng, purchases);
    }

    public int Purchases { get; }

    public int Seed { get; }

    public DateOnly AnchorDate { get; }

    /// <summary>The first day of purchases (anchor − 365).</summary>
    public DateOnly StartDate { get; }

    /// <summary>The instant the demo world is observed at: 00:00 of the anchor date in Lima.</summary>
    public DateTimeOffset Now { get; }

    public IReadOnlyList<CommissionPlan> Plans { get; }

    public IReadOnlyList<DemoOrganizer> Organizers { get; }

    public IReadOnlyList<DemoEvent> Events { get; }

    public DaySchedule[] Schedule { get; }

    public int[] DayCounts { get; }

    public long[] DayFirstSeq { get; }

    /// <summary>Purchase sequence numbers that carry a deliberate anomaly, and which.</summary>
    public IReadOnlyDictionary<long, AnomalyKind> Injections { get; }

    /// <summary>Sets ids 1..n on plans, organizers and events, as a fresh database would (for use without one).</summary>
    public void AssignSequentialIds()
    {
        for (var i = 0; i < Plans.Count; i++) Plans[i].Id = i + 1;
        foreach (var o in Organizers) o.Entity.CommissionPlanId = o.Plan.Id;
        for (var i = 0; i < Organizers.Count; i++) Organizers[i].Entity.Id = i + 1;
        for (var i = 0; i < Events.Count; i++)
        {
            Events[i].Entity.Id = i + 1;
            Events[i].Entity.OrganizerId = Events[i].Organizer.Entity.Id;
            Events[i].Entity.CommissionPlanId = Events[i].Plan?.Id;
        }
    }

    private static List<CommissionPlan> BuildPlans(DateOnly start)
    {
        var created = AccountingCalendar.Lima.StartOfDayUtc(start.AddDays(-400));
        return
        [
            new() { Name = "Estándar 5% + S/ 0.50 por entrada", Rate = 0.05m, FixedPerTicket = 0.50m, CreatedAt = created },
            new() { Name = "Preferente 4% + S/ 0.30 por entrada", Rate = 0.04m, FixedPerTicket = 0.30m, CreatedAt = created },
            new() { Name = "Básico 6% (comisión no reembolsable)", Rate = 0.06m, FixedPerTicket = 0m, ReturnCommissionOnRefund = false, CreatedAt = created },
            new() { Name = "Artes escénicas 7% + S/ 0.20 por entrada", Rate = 0.07m, FixedPerTicket = 0.20m, CreatedAt = created },
            new() { Name = "Festival 3.5% + S/ 1.00 por entrada", Rate = 0.035m, FixedPerTicket = 1.00m, CreatedAt = created },
        ];
    }

    private CommissionPlan StandardPlan => Plans[0];

    private CommissionPlan StagePlan => Plans[3];

    private CommissionPlan FestivalPlan => Plans[4];

    /// <summary>3 organizers below 2,000 purchases, one more at each step, 12 from 1,000,000.</summary>
    public static int OrganizerCount(int purchases) => 3 + OrganizerScaleSteps.Count(step => purchases >= step);

    private List<DemoOrganizer> BuildOrganizers(DemoRandom rng)
    {
        var count = OrganizerCount(Purchases);
        var personSlots = new HashSet<int> { count - 1 };
        if (count >= 7) personSlots.Add(count - 3);
        if (count >= 10) personSlots.Add(count - 6);

        var companies = DemoCatalog.Companies.ToList();
        var persons = DemoCatalog.Persons.ToList();
        Shuffle(rng, companies);
        Shuffle(rng, persons);
        var taxIds = new HashSet<string>(StringComparer.Ordinal);
        var collectors = new HashSet<long>();
        var result = new List<DemoOrganizer>(count);
        for (var i = 0; i < count; i++)
        {
            var person = personSlots.Contains(i);
            var template = i == 0 ? DemoCatalog.DemoOrganizer
                : person ? persons[(result.Count(o => o.Template.IsPerson)) % persons.Count]
                : companies[(result.Count(o => !o.Template.IsPerson) - 1) % companies.Count];
            string taxId;
            do
            {
                taxId = person ? rng.Between(1, 7).ToString(CultureInfo.InvariantCulture) + rng.Digits(7) : Ruc("20" + rng.Between(1, 6).ToString(CultureInfo.InvariantCulture) + rng.Digits(7));
            }
            while (!taxIds.Add(taxId));

            long collector;
            do collector = 100_000_000L + rng.Next(900_000_000);
            while (!collectors.Add(collector));

            var plan = i == 0 ? StandardPlan
                : template.Speciality.All(c => c is DemoCategory.Theatre or DemoCategory.StandUp) ? StagePlan
                : Plans[1 + (i % 3)];
            var organizer = new Organizer
            {
                ExternalId = $"org_{(i + 1).ToString("D3", CultureInfo.InvariantCulture)}",
                TaxIdKind = person ? TaxIdKind.Dni : TaxIdKind.Ruc,
                TaxId = taxId,
                LegalName = template.LegalName,
                ContactEmail = $"finanzas@{template.Slug}.example",
                TimeZoneId = AccountingCalendar.LimaTimeZoneId,
                CommissionPlan = plan,
                MercadoPagoUserId = collector,
                CreatedAt = AccountingCalendar.Lima.StartOfDayUtc(StartDate.AddDays(-rng.Between(30, 400))).AddMinutes(rng.Between(9 * 60, 18 * 60)),
            };
            result.Add(new DemoOrganizer(organizer, template, plan, OrganizerWeights[i]));
        }

        return result;
    }

    /// <summary>Completes ten digits with SUNAT's check digit.</summary>
    private static string Ruc(string firstTen) =>
        firstTen + TaxIdValidator.RucCheckDigit(firstTen).ToString(CultureInfo.InvariantCulture);

    private List<DemoEvent> BuildEvents(DemoRandom rng)
    {
        var total = Math.Clamp(Purchases / 400, 12, 360);
        var perOrganizer = LargestRemainder(total, Organizers.Select(o => o.Weight).ToArray(), minimumEach: 1);
        var es = CultureInfo.GetCultureInfo("es-PE");
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var events = new List<DemoEvent>(total);
        for (var o = 0; o < Organizers.Count; o++)
        {
            var organizer = Organizers[o];
            for (var k = 0; k < perOrganizer[o]; k++)
            {
                var category = organizer.Template.Speciality[rng.Next(organizer.Template.Speciality.Length)];
                var city = rng.Chance(0.7) ? organizer.Template.HomeCity : DemoCatalog.Cities[rng.Pick([0.6, 0.1, 0.1, 0.1, 0.1])];
                var venues = DemoCatalog.Venues.Where(v => v.City == city && v.Hosts.Contains(category)).ToArray();
                if (venues.Length == 0) venues = DemoCatalog.Venues.Where(v => v.City == "Lima" && v.Hosts.Contains(category)).ToArray();
                var venue = venues[rng.Next(venues.Length)];

                var eventDay = rng.Between(10, Days + 110);
                var onSaleDay = eventDay - rng.Between(40, 120);
                var date = StartDate.AddDays(eventDay);
                var startsAt = AccountingCalendar.Lima.StartOfDayUtc(date).AddHours(DemoCatalog.StartHour(category)).AddMinutes(rng.Chance(0.3) ? 30 : 0);

                var baseName = DemoCatalog.EventNames(category)[rng.Next(DemoCatalog.EventNames(category).Length)];
                var name = category == DemoCategory.Festival ? $"{baseName} {date.Year.ToString(CultureInfo.InvariantCulture)}" : baseName;
                if (!usedNames.Add(name)) name = $"{name} — {venue.City}";
                if (!usedNames.Add(name)) name = $"{name}, {date.ToString("MMMM yyyy", es)}";
                usedNames.Add(name);

                var templates = DemoCatalog.Tiers(category);
                var tiers = templates.Select(t => new DemoTier(t.Name, t.Code, PricePoint(rng, t.MinPrice, t.MaxPrice))).ToArray();
                var created = AccountingCalendar.Lima.StartOfDayUtc(StartDate.AddDays(onSaleDay - 7)).AddHours(10);
                var entity = new Event
                {
                    ExternalId = $"evt_{(1001 + events.Count).ToString(CultureInfo.InvariantCulture)}",
                    Organizer = null,
                    Name = name,
                    Venue = venue.Name,
                    City = venue.City,
                    StartsAt = startsAt,
                    Capacity = venue.Capacity,
                    Status = eventDay < Days ? EventStatus.Finished : EventStatus.Scheduled,
                    CreatedAt = created,
                    UpdatedAt = eventDay < Days ? startsAt.AddHours(6) : created,
                };
                events.Add(new DemoEvent
                {
                    Entity = entity,
                    Organizer = organizer,
                    Category = category,
                    Tiers = tiers,
                    TierWeights = templates.Select(t => t.Weight).ToArray(),
                    Popularity = DemoCatalog.Popularity(category) * (0.5 + rng.NextDouble()) * (o == 0 ? 1.25 : 1.0),
                    EventDay = eventDay,
                    OnSaleDay = onSaleDay,
                });
            }
        }

        // Cancellations: about 4% of the events, called off early in their sale window (they had sold little).
        foreach (var e in events)
        {
            if (CanCancel(e) && rng.Chance(0.04)) Cancel(rng, e);
        }

        if (!events.Any(e => e.CancelDay is not null))
        {
            var candidates = events.Where(e => e.Organizer != Organizers[0] && CanCancel(e)).ToList();
            if (candidates.Count > 0) Cancel(rng, candidates[rng.Next(candidates.Count)]);
        }

        // The demo organizer's first festival (or first event) has its own plan and interest-free installments.
        var special = events.FirstOrDefault(e => e.Organizer == Organizers[0] && e.Category == DemoCategory.Festival)
                      ?? events.First(e => e.Organizer == Organizers[0]);
        special.Plan = FestivalPlan;
        special.Entity.CommissionPlan = FestivalPlan;
        special.InterestFreeInstallments = true;

        foreach (var e in events) e.Entity.Organizer = e.Organizer.Entity;
        return events;
    }

    private static bool CanCancel(DemoEvent e) => Math.Max(e.OnSaleDay, 0) + 10 < Math.Min(e.EventDay - 2, Days - 1);

    private void Cancel(DemoRandom rng, DemoEvent e)
    {
        var first = Math.Max(e.OnSaleDay, 0) + 10;
        var last = Math.Min(e.EventDay - 2, Days - 1);
        var day = rng.Between(first, first + ((last - first) / 3));
        e.Popularity *= 0.3;
        e.CancelDay = day;
        e.Entity.Status = EventStatus.Cancelled;
        e.Entity.UpdatedAt = AccountingCalendar.Lima.StartOfDayUtc(StartDate.AddDays(day)).AddHours(11);
    }

    /// <summary>A price in soles between the bounds, ending in .00 (mostly), .50 or .90, within S/ 30–450.</summary>
    private static decimal PricePoint(DemoRandom rng, int min, int max)
    {
        var whole = rng.Between(min, max);
        var cents = rng.Pick([0.7, 0.2, 0.1]) switch { 0 => 0m, 1 => 0.50m, _ => 0.90m };
        return Math.Clamp(whole + cents, 30m, 450m);
    }

    private DaySchedule[] BuildSchedule()
    {
        var schedule = new DaySchedule[Days];
        for (var d = 0; d < Days; d++)
        {
            var active = new List<DemoEvent>();
            var cumulative = new List<double>();
            double sum = 0;
            foreach (var e in Events)
            {
                if (!e.OnSale(d)) continue;
                sum += e.Popularity * SaleCurve(e.EventDay - d, d - e.OnSaleDay);
                active.Add(e);
                cumulative.Add(sum);
            }

            schedule[d] = new DaySchedule([.. active], [.. cumulative]);
        }

        return schedule;
    }

    /// <summary>
    /// How an event sells over its sale window: a launch spike in the first days on sale, a steady middle, and a
    /// ramp to about three times the base in the last two weeks.
    /// </summary>
    private static double SaleCurve(int daysToEvent, int daysOnSale)
    {
        var c = daysOnSale < 3 ? 3.0 : daysOnSale < 7 ? 1.6 : 1.0;
        if (daysToEvent <= 14) c *= 1.0 + (15 - daysToEvent) / 7.0;
        return c;
    }

    /// <summary>Weekday pattern, paydays (15th, 16th, last and first of the month), December and July bonuses.</summary>
    private double DayFactor(int d)
    {
        var date = StartDate.AddDays(d);
        var factor = DemoCatalog.WeekdayFactors[((int)date.DayOfWeek + 6) % 7];
        if (date.Day is 1 or 15 or 16 || date.AddDays(1).Day == 1) factor *= 1.2;
        if (date.Month == 12) factor *= 1.15;
        if (date.Month == 7) factor *= 1.1;
        return factor;
    }

    private int[] AllocateDays(int purchases)
    {
        var weights = new double[Days];
        for (var d = 0; d < Days; d++)
        {
            var cumulative = Schedule[d].Cumulative;
            weights[d] = cumulative.Length == 0 ? 0 : cumulative[^1] * DayFactor(d);
        }

        if (weights.All(w => w == 0)) Array.Fill(weights, 1.0);
        return LargestRemainder(purchases, weights, minimumEach: 0);
    }

    /// <summary>Splits a total into integer parts proportional to the weights (largest remainders, ties to the lower index).</summary>
    internal static int[] LargestRemainder(int total, double[] weights, int minimumEach)
    {
        var parts = new int[weights.Length];
        var remaining = total;
        if (minimumEach > 0 && total >= minimumEach * weights.Length)
        {
            Array.Fill(parts, minimumEach);
            remaining -= minimumEach * weights.Length;
        }

        var sum = weights.Sum();
        if (sum <= 0 || remaining <= 0) return parts;
        var fractions = new (double Fraction, int Index)[weights.Length];
        var assigned = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var quota = remaining * weights[i] / sum;
            var whole = (int)Math.Floor(quota);
            parts[i] += whole;
            assigned += whole;
            fractions[i] = (quota - whole, i);
        }

        foreach (var (_, index) in fractions.OrderByDescending(f => f.Fraction).ThenBy(f => f.Index).Take(remaining - assigned))
            parts[index]++;
        return parts;
    }

    private static Dictionary<long, AnomalyKind> ChooseInjections(DemoRandom rng, int purchases)
    {
        var count = InjectedAnomalyCount(purchases);
        var chosen = new SortedSet<long>();
        while (chosen.Count < count) chosen.Add(rng.Next(purchases));
        var result = new Dictionary<long, AnomalyKind>();
        var first = true;
        foreach (var seq in chosen)
        {
            result[seq] = first ? AnomalyKind.NetMismatch : AnomalyKind.CommissionMismatch;
            first = false;
        }

        return result;
    }

    private static void Shuffle<T>(DemoRandom rng, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
