namespace Trader.Replay.Replaying;

/// <summary>
/// The recorded session's client order ids and the replay's own for the same orders. The exchange's answers on the
/// tape — create answers, order lists, <c>user_order</c> frames — name the recorded ids (random UUIDs); a replay
/// numbers its orders itself (<c>replay-000001</c>), so every recorded answer is rewritten to the replay's ids before
/// the trader reads it. Without this, an order looked up by its client order id (an ambiguous create) would never be
/// found in a replay. Only ids of orders the replay actually sent are mapped.
/// </summary>
public sealed class ClientOrderIdMap
{
    private readonly Dictionary<string, string> _replayByRecorded = new(StringComparer.Ordinal);

    public int Count => _replayByRecorded.Count;

    public void Map(string recorded, string replay)
    {
        if (recorded.Length == 0 || recorded == replay) return;
        _replayByRecorded[recorded] = replay;
    }

    /// <summary>The text with every mapped recorded id replaced by the replay's.</summary>
    public string Rewrite(string text)
    {
        if (_replayByRecorded.Count == 0) return text;
        foreach (var (recorded, replay) in _replayByRecorded)
        {
            if (text.Contains(recorded, StringComparison.Ordinal)) text = text.Replace(recorded, replay, StringComparison.Ordinal);
        }
        return text;
    }
}
