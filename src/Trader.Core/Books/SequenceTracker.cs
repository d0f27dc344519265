namespace Trader.Core.Books;

/// <summary>What a sequence number says about a subscription's stream.</summary>
public enum SequenceStatus
{
    /// <summary>The first numbered frame of the subscription.</summary>
    First,

    /// <summary>Exactly the previous number + 1.</summary>
    InOrder,

    /// <summary>At or below the last number seen: a duplicate; ignore the frame.</summary>
    Duplicate,

    /// <summary>Numbers were skipped: some frame was lost and every book of the subscription is suspect.</summary>
    Gap,
}

/// <summary>
/// Tracks Kalshi's per-subscription <c>seq</c> (one counter per <c>sid</c>, shared by all markets of the
/// subscription, incremented by one for every sequenced frame, <c>ok</c> replies included). A gap means some
/// market of the subscription lost a delta, and which one cannot be known.
/// </summary>
public sealed class SequenceTracker
{
    public long Last { get; private set; }

    /// <summary>The number expected next (0 before the first frame).</summary>
    public long Expected => Last == 0 ? 0 : Last + 1;

    public SequenceStatus Observe(long sequence)
    {
        if (Last == 0)
        {
            Last = sequence;
            return SequenceStatus.First;
        }
        if (sequence <= Last) return SequenceStatus.Duplicate;
        var status = sequence == Last + 1 ? SequenceStatus.InOrder : SequenceStatus.Gap;
        Last = sequence;
        return status;
    }

    /// <summary>Forget everything (a new subscription id after a reconnect or resubscribe).</summary>
    public void Reset() => Last = 0;
}
