using BillingPortal.Core.Billing.Commissions;
using BillingPortal.Core.Organizers;

namespace BillingPortal.Core.Events;

/// <summary>A show with a date, venue and capacity, owned by one organizer.</summary>
public class Event
{
    public int Id { get; set; }

    public int OrganizerId { get; set; }

    public Organizer? Organizer { get; set; }

    /// <summary>The ticketing platform's id for the event (unique across the platform).</summary>
    public required string ExternalId { get; set; }

    public required string Name { get; set; }

    public required string Venue { get; set; }

    public string? City { get; set; }

    public DateTimeOffset StartsAt { get; set; }

    public int Capacity { get; set; }

    public EventStatus Status { get; set; }

    /// <summary>When set, this event's payouts are frozen (e.g. under review); shown on the event pages.</summary>
    public bool PayoutsFrozen { get; set; }

    /// <summary>An event-specific commission plan; null means the organizer's plan applies.</summary>
    public int? CommissionPlanId { get; set; }

    public CommissionPlan? CommissionPlan { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The lifecycle of an event as the ticketing platform reports it.</summary>
public enum EventStatus
{
    Scheduled,
    Finished,
    Cancelled,
}
