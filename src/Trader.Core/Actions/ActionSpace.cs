using Trader.Core.Numbers;
using Trader.Core.Orders;

namespace Trader.Core.Actions;

/// <summary>What the policy asks for (original-system.md §10.1: <c>LimitOrderActions</c>), without a size.</summary>
public enum TradeAction
{
    Hold = 0,
    BuyYes = 1,
    SellYes = 2,
    BuyNo = 3,
    SellNo = 4,
}

public static class TradeActionExtensions
{
    /// <summary>The order intent of a trading action; null for <see cref="TradeAction.Hold"/>.</summary>
    public static OrderIntent? ToIntent(this TradeAction action) => action switch
    {
        TradeAction.BuyYes => OrderIntent.BuyYes,
        TradeAction.SellYes => OrderIntent.SellYes,
        TradeAction.BuyNo => OrderIntent.BuyNo,
        TradeAction.SellNo => OrderIntent.SellNo,
        TradeAction.Hold => null,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a trade action"),
    };

    /// <summary>HOLD, BUY_YES, SELL_YES, BUY_NO, SELL_NO (the original's names, for logs and metrics).</summary>
    public static string ToName(this TradeAction action) => action switch
    {
        TradeAction.Hold => "HOLD",
        TradeAction.BuyYes => "BUY_YES",
        TradeAction.SellYes => "SELL_YES",
        TradeAction.BuyNo => "BUY_NO",
        TradeAction.SellNo => "SELL_NO",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a trade action"),
    };
}

/// <summary>An action index decoded by an <see cref="ActionSpace"/>.</summary>
/// <param name="Index">The policy's action index.</param>
/// <param name="Action">What to do.</param>
/// <param name="SizeIndex">Which of the space's sizes (0 for HOLD and for the 5-action space).</param>
/// <param name="Size">How many contracts (zero for HOLD).</param>
public readonly record struct DecodedAction(int Index, TradeAction Action, int SizeIndex, Quantity Size)
{
    public bool IsHold => Action == TradeAction.Hold;

    /// <summary>The order intent; null for HOLD.</summary>
    public OrderIntent? Intent => Action.ToIntent();

    /// <summary><c>HOLD</c>, or e.g. <c>BUY_YES×5</c>.</summary>
    public override string ToString() => IsHold ? Action.ToName() : $"{Action.ToName()}×{Size.ToWireString()}";
}

/// <summary>
/// The discrete action space of the policy (§10.1): index 0 is HOLD, then for each of BUY_YES, SELL_YES, BUY_NO,
/// SELL_NO one index per order size, so <c>1 + 4 × sizes</c> actions. With one size this is the 5-action space the
/// user's model was trained with (0 HOLD, 1 BUY_YES, 2 SELL_YES, 3 BUY_NO, 4 SELL_NO); with the sizes
/// [5, 10, 20, 50, 100] it is the 21-action variant. Decoding follows the original's <c>decode_action</c>:
/// action = (a − 1) / n + 1, size index = (a − 1) mod n.
/// <para>
/// The size of the 5-action space is configuration: the original placed 5 contracts (hard-coded; its
/// <c>RL_ACTOR_CONTRACT_SIZE</c> was unused) while the model card says the model was trained with 20
/// (<see cref="OriginalLiveContracts"/>, <see cref="ModelCardContracts"/>).
/// </para>
/// </summary>
public sealed class ActionSpace
{
    /// <summary>Contracts per order of the original live trader (§1.1 step 5).</summary>
    public const int OriginalLiveContracts = 5;

    /// <summary>Contracts per order the model card says the model was trained with (§13).</summary>
    public const int ModelCardContracts = 20;

    private readonly Quantity[] _sizes;

    /// <summary>A space with one index per (trading action, size); sizes must be positive and distinct.</summary>
    public ActionSpace(IEnumerable<Quantity> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        _sizes = sizes.ToArray();
        if (_sizes.Length == 0) throw new ArgumentException("an action space needs at least one order size", nameof(sizes));
        foreach (var s in _sizes)
        {
            if (!s.IsPositive) throw new ArgumentException($"order size {s.ToWireString()} must be positive", nameof(sizes));
        }
        if (_sizes.Distinct().Count() != _sizes.Length)
            throw new ArgumentException($"order sizes must be distinct: {string.Join(", ", _sizes.Select(s => s.ToWireString()))}", nameof(sizes));
    }

    /// <summary>The 5-action space: HOLD, BUY_YES, SELL_YES, BUY_NO, SELL_NO, each order of <paramref name="contractsPerOrder"/>.</summary>
    public static ActionSpace FiveActions(Quantity contractsPerOrder) => new([contractsPerOrder]);

    /// <summary>The sized 21-action variant of the training code: sizes 5, 10, 20, 50, 100 contracts.</summary>
    public static ActionSpace TwentyOneActions() =>
        new(new long[] { 5, 10, 20, 50, 100 }.Select(Quantity.FromContracts));

    /// <summary>Number of actions, 1 + 4 × sizes.</summary>
    public int Count => 1 + 4 * _sizes.Length;

    public IReadOnlyList<Quantity> Sizes => _sizes;

    /// <summary>Decodes a policy's action index; throws when it is outside 0 .. <see cref="Count"/> − 1.</summary>
    public DecodedAction Decode(int index)
    {
        if (!TryDecode(index, out var decoded))
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"action {index} is outside this {Count}-action space (valid actions are 0 to {Count - 1})");
        return decoded;
    }

    /// <summary>Decodes a policy's action index; false when it is outside the space.</summary>
    public bool TryDecode(int index, out DecodedAction decoded)
    {
        if ((uint)index >= (uint)Count)
        {
            decoded = default;
            return false;
        }
        var (action, sizeIndex) = DecodeIndex(index, _sizes.Length);
        decoded = new DecodedAction(index, action, sizeIndex, action == TradeAction.Hold ? Quantity.Zero : _sizes[sizeIndex]);
        return true;
    }

    /// <summary>The index of an action and size (the inverse of <see cref="Decode"/>); HOLD ignores the size index.</summary>
    public int Encode(TradeAction action, int sizeIndex = 0) => EncodeIndex(action, sizeIndex, _sizes.Length);

    /// <summary>
    /// The original's <c>decode_action</c> on bare indices, for any number of sizes per action: 0 is HOLD; index a ≥ 1
    /// is action (a − 1) / n + 1 at size index (a − 1) mod n. The index must be within 0 .. 4n.
    /// </summary>
    public static (TradeAction Action, int SizeIndex) DecodeIndex(int index, int sizesPerAction)
    {
        if (sizesPerAction <= 0) throw new ArgumentOutOfRangeException(nameof(sizesPerAction), sizesPerAction, "at least one size per action");
        int count = 1 + 4 * sizesPerAction;
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"action {index} is outside a {count}-action space (valid actions are 0 to {count - 1})");
        if (index == 0) return (TradeAction.Hold, 0);
        return ((TradeAction)((index - 1) / sizesPerAction + 1), (index - 1) % sizesPerAction);
    }

    /// <summary>The index of an action at a size index, for any number of sizes per action (the inverse of <see cref="DecodeIndex"/>).</summary>
    public static int EncodeIndex(TradeAction action, int sizeIndex, int sizesPerAction)
    {
        if (action == TradeAction.Hold) return 0;
        if (action is < TradeAction.BuyYes or > TradeAction.SellNo)
            throw new ArgumentOutOfRangeException(nameof(action), action, "not a trade action");
        if ((uint)sizeIndex >= (uint)sizesPerAction)
            throw new ArgumentOutOfRangeException(nameof(sizeIndex), sizeIndex, $"this space has {sizesPerAction} order size(s)");
        return 1 + ((int)action - 1) * sizesPerAction + sizeIndex;
    }
}
