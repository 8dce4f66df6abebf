using System.Globalization;
using BillingPortal.Components.Shared;
using BillingPortal.Core.MercadoPago.Sync;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BillingPortal.Tests.Unit.Components;

/// <summary>
/// A page's live refresh runs on a timer thread after a change published from anywhere (a job, a webhook): it must
/// re-render in the page's language and formats, not the publisher's.
/// </summary>
public sealed class LivePaymentRefreshTests
{
    [Fact]
    public async Task Refresh_AfterAChangePublishedInEnglish_RunsInThePagesSpanish()
    {
        var notifier = new PaymentChangeNotifier(NullLogger<PaymentChangeNotifier>.Instance);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var seen = new TaskCompletionSource<(string Culture, string UiCulture)>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The page creates its refresh on its circuit, in Spanish (a thread of its own, so the test's culture is untouched).
        var refresh = await Task.Run(() =>
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("es-PE");
            var created = new LivePaymentRefresh(notifier, time, () =>
            {
                seen.TrySetResult((CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name));
                return Task.CompletedTask;
            });
            created.Watch(7);
            return created;
        }, TestContext.Current.CancellationToken);
        using (refresh)
        {
            // A job publishing in English.
            await Task.Run(() =>
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
                notifier.Publish([new PaymentChange(7, 1001, PaymentUpsertResult.Created, time.GetUtcNow())]);
            }, TestContext.Current.CancellationToken);

            // The quiet period ends on the fake clock (the delivery to the subscriber is on the thread pool: keep advancing).
            for (var i = 0; i < 200 && !seen.Task.IsCompleted; i++)
            {
                time.Advance(LivePaymentRefresh.Debounce);
                await Task.Delay(25, TestContext.Current.CancellationToken);
            }

            Assert.True(seen.Task.IsCompleted, "The refresh never ran");
            Assert.Equal(("es-PE", "es-PE"), await seen.Task);
        }
    }
}
