using Trader.Core.Risk;

namespace Trader.Core.Trading;

/// <summary>
/// The coordinator's record of calibrations: how many succeeded and when the last did, how many failed in a row (which
/// sets the backoff before the next try), the last error, and the errors counted since the last success (enough of
/// them call for a recalibration, original-system.md §5). Immutable.
/// </summary>
public sealed record CalibrationHistory
{
    public static CalibrationHistory Empty { get; } = new();

    public int Succeeded { get; init; }
    public int FailedInARow { get; init; }
    public int ErrorsSinceLast { get; init; }
    public DateTimeOffset? Last { get; init; }
    public string? LastError { get; init; }

    public CalibrationHistory Success(DateTimeOffset at) =>
        this with { Succeeded = Succeeded + 1, FailedInARow = 0, ErrorsSinceLast = 0, Last = at, LastError = null };

    /// <summary>A failed calibration; <paramref name="retryIn"/> is how long to wait before the next try.</summary>
    public CalibrationHistory Failure(string error, Backoff backoff, out TimeSpan retryIn)
    {
        retryIn = backoff.Delay(FailedInARow);
        return this with { FailedInARow = FailedInARow + 1, LastError = error };
    }

    public CalibrationHistory Error() => this with { ErrorsSinceLast = ErrorsSinceLast + 1 };

    /// <summary>Whether the errors since the last calibration reached <paramref name="threshold"/>.</summary>
    public bool ErrorsReach(int threshold) => ErrorsSinceLast >= threshold;
}
