namespace Trader.Kalshi.Api;

/// <summary>
/// The result of a write to the exchange. It is one of three things and the caller must handle all three
/// (<see cref="Match{TResult}"/> takes a function for each):
/// <list type="bullet">
/// <item><see cref="Accepted"/>: the exchange did it and said so.</item>
/// <item><see cref="Refused"/>: the exchange answered and said no (4xx). Definitive: nothing happened.</item>
/// <item><see cref="Ambiguous"/>: no definitive answer (timeout, connection dropped after sending, 5xx). The write
/// may or may not have taken effect; the caller must reconcile (look the order up by its client order id).</item>
/// </list>
/// </summary>
public abstract record WriteOutcome<T>
{
    private WriteOutcome()
    {
    }

    public sealed record Accepted(T Value) : WriteOutcome<T>;

    public sealed record Refused(KalshiError Error) : WriteOutcome<T>;

    public sealed record Ambiguous(string Reason, Exception? Cause = null) : WriteOutcome<T>;

    public TResult Match<TResult>(Func<T, TResult> accepted, Func<KalshiError, TResult> refused, Func<Ambiguous, TResult> ambiguous) => this switch
    {
        Accepted a => accepted(a.Value),
        Refused r => refused(r.Error),
        Ambiguous u => ambiguous(u),
        _ => throw new InvalidOperationException("unreachable: WriteOutcome has exactly three cases"),
    };

    public void Switch(Action<T> accepted, Action<KalshiError> refused, Action<Ambiguous> ambiguous)
    {
        switch (this)
        {
            case Accepted a: accepted(a.Value); break;
            case Refused r: refused(r.Error); break;
            case Ambiguous u: ambiguous(u); break;
        }
    }
}

/// <summary>The empty value of a write that answers nothing (cancel all: 204).</summary>
public readonly record struct NoContent;
