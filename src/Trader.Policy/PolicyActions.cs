using Trader.Core.Actions;

namespace Trader.Policy;

/// <summary>
/// The action spaces a policy may answer in, on bare indices (original-system.md §10.1): the 5-action space
/// 0 HOLD, 1 BUY_YES, 2 SELL_YES, 3 BUY_NO, 4 SELL_NO, and the sized 21-action variant (five sizes per action). The
/// index arithmetic is Core's (<see cref="ActionSpace.DecodeIndex"/>); this class only knows which counts the trader
/// can turn into orders. Policies decide indices; the decision loop decodes them with an <see cref="ActionSpace"/>
/// that also knows the sizes in contracts.
/// </summary>
public static class PolicyActions
{
    public const int Hold = 0, BuyYes = 1, SellYes = 2, BuyNo = 3, SellNo = 4;

    /// <summary>The plain action space: one size.</summary>
    public const int SimpleCount = 5;

    /// <summary>The sized action space: five sizes per action.</summary>
    public const int SizedCount = 21;

    /// <summary>Sizes per action in the sized action space.</summary>
    public const int SizesPerKind = 5;

    /// <summary>True for the action-space sizes the trader supports (5 or 21).</summary>
    public static bool IsSupportedCount(int actionCount) => actionCount is SimpleCount or SizedCount;

    /// <summary>Throws a clear error unless <paramref name="actionCount"/> is 5 or 21.</summary>
    public static void ValidateCount(int actionCount, string what)
    {
        if (!IsSupportedCount(actionCount))
        {
            throw new ArgumentOutOfRangeException(nameof(actionCount), actionCount,
                $"{what}: an action space of {actionCount} actions is not supported; expected {SimpleCount} (hold, buy/sell YES, buy/sell NO) or {SizedCount} (the same with five sizes)");
        }
    }

    /// <summary>What action <paramref name="action"/> asks for in a space of <paramref name="actionCount"/> actions.</summary>
    public static TradeAction KindOf(int action, int actionCount) => ActionSpace.DecodeIndex(action, SizesFor(actionCount)).Action;

    /// <summary>The size index of <paramref name="action"/> (always 0 in the 5-action space and for HOLD).</summary>
    public static int SizeIndexOf(int action, int actionCount) => ActionSpace.DecodeIndex(action, SizesFor(actionCount)).SizeIndex;

    /// <summary>The index of an action at a size index in a space of <paramref name="actionCount"/> actions.</summary>
    public static int IndexOf(TradeAction kind, int sizeIndex, int actionCount) => ActionSpace.EncodeIndex(kind, sizeIndex, SizesFor(actionCount));

    /// <summary>HOLD, BUY_YES, … (with the size index in the sized space, e.g. <c>BUY_NO#2</c>).</summary>
    public static string NameOf(int action, int actionCount)
    {
        var (kind, size) = ActionSpace.DecodeIndex(action, SizesFor(actionCount));
        return actionCount == SimpleCount || kind == TradeAction.Hold ? kind.ToName() : $"{kind.ToName()}#{size}";
    }

    private static int SizesFor(int actionCount)
    {
        ValidateCount(actionCount, "action index");
        return actionCount == SimpleCount ? 1 : SizesPerKind;
    }
}
