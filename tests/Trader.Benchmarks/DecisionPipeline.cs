using Trader.Core.Actions;
using Trader.Core.Books;
using Trader.Core.Numbers;
using Trader.Core.Observations;
using Trader.Policy;
using Trader.Policy.Onnx;

namespace Trader.Benchmarks;

/// <summary>
/// The hot path of a decision, in process: one orderbook delta applied to its market's book, the 52-feature
/// observation built, the ONNX policy asked (the project's default model), the action decoded and priced. Markets are
/// visited in turn, so with many markets every step touches a different book and observation window.
/// </summary>
public sealed class DecisionPipeline : IDisposable
{
    private readonly OrderBook[] _books;
    private readonly ObservationBuilder _builder;
    private readonly OnnxPolicy _policy;
    private readonly ActionSpace _space = ActionSpace.FiveActions(Quantity.FromContracts(5));
    private readonly float[] _observation = new float[ObservationLayout.Length];
    private readonly PositionSnapshot[] _positions;
    private readonly Price _level = Price.FromCents(40);
    private readonly Quantity _plus = Quantity.FromContracts(3), _minus = Quantity.FromContracts(-3);
    private DateTimeOffset _now = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
    private long _seq = 1;
    private int _next;

    public DecisionPipeline(int markets)
    {
        _books = new OrderBook[markets];
        var yes = new BookLevel[20];
        var no = new BookLevel[20];
        for (int i = 0; i < 20; i++)
        {
            yes[i] = new BookLevel(Price.FromCents(45 - i), Quantity.FromContracts(100 + 7 * i));
            no[i] = new BookLevel(Price.FromCents(52 - i), Quantity.FromContracts(80 + 5 * i));
        }
        for (int m = 0; m < markets; m++)
        {
            _books[m] = new OrderBook($"MKT-{m:D4}", sequenceCheck: SequenceCheck.Monotonic);
            _books[m].ApplySnapshot(1, yes, no);
        }
        _builder = new ObservationBuilder(new ObservationOptions { ExpectedMarkets = markets });
        _policy = OnnxPolicy.Load(Path.Combine(AppContext.BaseDirectory, "models", "default.onnx"));
        _positions =
        [
            new PositionSnapshot("MKT-0000", Quantity.FromContracts(5), Money.Parse("2.35")),
            new PositionSnapshot("OTHER-1", Quantity.FromContracts(-10), Money.Parse("5.20")),
        ];
        for (int i = 0; i < 2 * markets + 20; i++) Step(); // fill every market's window
    }

    /// <summary>One delta → decision. Returns the action (so nothing is optimized away).</summary>
    public int Step()
    {
        var book = _books[_next];
        _next = (_next + 1) % _books.Length;
        _now = _now.AddMilliseconds(50);
        book.ApplyDelta(++_seq, BookLeg.Yes, _level, (_seq & 1) == 0 ? _plus : _minus);

        var portfolio = PortfolioInput.CashPlusPositions(Money.FromDollars(1000), _positions, book); // as the decision actor does
        _builder.Build(book, _now, portfolio, default, _observation);
        var decision = _policy.Decide(_observation, new DecisionContext(book.Ticker, Quantity.Zero));
        var proposal = ActionPricing.Propose(_space.Decode(decision.Action), book);
        return proposal.HasOrder ? decision.Action : 0;
    }

    public void Dispose() => _policy.Dispose();
}
