using System.Diagnostics.CodeAnalysis;
using Trader.Kalshi.Api;

namespace Trader.Exchange;

/// <summary>
/// The answer of an exchange operation: a value, or a refusal carrying the <see cref="KalshiError"/> (HTTP status,
/// Kalshi code, message, details) the server sends back as Kalshi's body. A refusal changed nothing.
/// </summary>
public readonly struct ExchangeResult<T>
{
    private readonly T? _value;

    private ExchangeResult(T? value, KalshiError? error)
    {
        _value = value;
        Error = error;
    }

    public KalshiError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws when the operation was refused (the message names the refusal).</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"the exchange refused: {Error}");

    public static ExchangeResult<T> Ok(T value) => new(value, null);

    public static ExchangeResult<T> Refused(KalshiError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator ExchangeResult<T>(KalshiError error) => Refused(error);

    public static implicit operator ExchangeResult<T>(T value) => Ok(value);

    public TResult Match<TResult>(Func<T, TResult> ok, Func<KalshiError, TResult> refused) =>
        Error is null ? ok(_value!) : refused(Error);

    public override string ToString() => Error is null ? $"Ok({_value})" : $"Refused({Error})";
}
