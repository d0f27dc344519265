// Test vectors copied from kalshi-api.md §9 (Kalshi documentation and recorded demo traffic).
namespace Trader.Kalshi.Tests;

internal static class Vectors
{
    public const string StatusOk = """
        {"exchange_active":true,"trading_active":true}
        """;

    public const string StatusMaintenance = """
        {"exchange_active":false,"trading_active":false,"exchange_estimated_resume_time":"2026-06-11T09:00:00Z"}
        """;

    public const string Balance = """
        {"balance":9801,"balance_breakdown":[{"balance":"98.0186","exchange_index":0}],"balance_dollars":"98.0186","portfolio_value":198,"updated_ts":1781159348}
        """;

    public const string Limits = """
        {"grants":[],"read":{"bucket_capacity":200,"refill_rate":200},"usage_tier":"basic","write":{"bucket_capacity":100,"refill_rate":100}}
        """;

    public const string EndpointCosts = """
        {"default_cost":10,"endpoint_costs":[{"cost":2,"method":"DELETE","path":"/trade-api/v2/portfolio/events/orders/:order_id"},{"cost":2,"method":"DELETE","path":"/trade-api/v2/portfolio/events/orders/batched"},{"cost":20,"method":"POST","path":"/trade-api/v2/portfolio/orders"},{"cost":4,"method":"DELETE","path":"/trade-api/v2/portfolio/orders/:order_id"},{"cost":2,"method":"GET","path":"/trade-api/v2/portfolio/orders/:order_id"}]}
        """;

    public const string Market = """
        {"market":{"can_close_early":true,"close_time":"2026-06-25T16:00:00Z","created_time":"2026-06-11T05:12:22.338653Z","custom_strike":{"tennis_competitor":"367dcce8-d796-4ed5-80ff-ddec69845a41"},"event_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP","expected_expiration_time":"2026-06-11T19:00:00Z","expiration_time":"2026-06-25T16:00:00Z","expiration_value":"","fractional_trading_enabled":true,"last_price_dollars":"0.9900","latest_expiration_time":"2026-06-25T16:00:00Z","liquidity_dollars":"0.0000","market_type":"binary","no_ask_dollars":"0.5300","no_bid_dollars":"0.4800","no_sub_title":"Varvara Lepchenko","notional_value_dollars":"1.0000","open_interest_fp":"2.00","open_time":"2026-06-11T05:39:29Z","previous_price_dollars":"0.0000","previous_yes_ask_dollars":"0.0000","previous_yes_bid_dollars":"0.0000","price_level_structure":"linear_cent","price_ranges":[{"end":"1.0000","start":"0.0000","step":"0.0100"}],"response_price_units":"usd_cent","result":"","rules_primary":"If Varvara Lepchenko wins … then the market resolves to Yes.","rules_secondary":"…","settlement_timer_seconds":60,"status":"active","strike_type":"structured","ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","title":"Will Varvara Lepchenko win the Jimenez Kasintseva vs Lepchenko: Round Of 16 match?","updated_time":"2026-06-11T05:39:31.28563Z","volume_24h_fp":"1.00","volume_fp":"2.00","yes_ask_dollars":"0.5200","yes_ask_size_fp":"3.00","yes_bid_dollars":"0.4700","yes_bid_size_fp":"3.00","yes_sub_title":"Varvara Lepchenko"}}
        """;

    public const string OrderBook = """
        {"orderbook_fp":{"no_dollars":[["0.4800","3.00"]],"yes_dollars":[["0.4700","3.00"]]}}
        """;

    public const string OrderBookMulti = """
        {"orderbook_fp":{"yes_dollars":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars":[["0.5400","20.00"],["0.5600","146.00"]]}}
        """;

    public const string BareLimit = """
        {"msg":"Parameter validation failed for GetMarkets: Key: 'GetMarketsParams.Limit' Error:Field validation for 'Limit' failed on the 'lte' tag"}
        """;

    public const string Trades = """
        {"cursor":"EhIKEC4Yf1dC7Fly-I7MaD55Y-MaDAjavcDRBhDwop6bAg","trades":[{"count_fp":"7.77","created_time":"2026-06-15T15:48:42.609997Z","is_block_trade":false,"no_price_dollars":"0.9700","taker_book_side":"bid","taker_outcome_side":"yes","taker_side":"yes","ticker":"KXPGATOUR-USO26-JDAY","trade_id":"56932642-f55c-41a6-1cad-35b95c27373b","yes_price_dollars":"0.0300"}]}
        """;

    public const string CreateMakerRequest = """
        {"client_order_id":"4a75a66e-ca85-4187-93cd-aac5e01ad982","count":"1.00","post_only":false,"price":"0.0100","self_trade_prevention_type":"taker_at_cross","side":"bid","ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","time_in_force":"good_till_canceled"}
        """;

    public const string CreateMakerResponse = """
        {"client_order_id":"4a75a66e-ca85-4187-93cd-aac5e01ad982","fill_count":"0.00","order_id":"2597b999-f887-4195-8bac-c3f97a1f2021","remaining_count":"1.00","ts_ms":1781159360866}
        """;

    public const string OrderById = """
        {"order":{"action":"buy","book_side":"bid","client_order_id":"4a75a66e-ca85-4187-93cd-aac5e01ad982","created_time":"2026-06-11T06:29:20.866753Z","fill_count_fp":"0.00","initial_count_fp":"1.00","last_update_time":"2026-06-11T06:29:20.866753Z","maker_fees_dollars":"0.000000","maker_fill_cost_dollars":"0.000000","no_price_dollars":"0.9900","order_id":"2597b999-f887-4195-8bac-c3f97a1f2021","outcome_side":"yes","remaining_count_fp":"1.00","self_trade_prevention_type":"taker_at_cross","side":"yes","status":"resting","subaccount_number":0,"taker_fees_dollars":"0.000000","taker_fill_cost_dollars":"0.000000","ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","type":"limit","user_id":"f50604b8-d25a-4b0c-b3c9-ce5b48ffcad0","yes_price_dollars":"0.0100"}}
        """;

    public const string CancelResponse = """
        {"order_id":"2597b999-f887-4195-8bac-c3f97a1f2021","reduced_by":"1.00","ts_ms":1781159364112}
        """;

    public const string CreateIocRequest = """
        {"client_order_id":"2b8394e0-515e-4b89-b624-f34067756855","count":"1.00","price":"0.9900","self_trade_prevention_type":"taker_at_cross","side":"bid","ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","time_in_force":"immediate_or_cancel"}
        """;

    public const string CreateIocResponse = """
        {"average_fee_paid":"0.0175","average_fill_price":"0.5200","client_order_id":"2b8394e0-515e-4b89-b624-f34067756855","fill_count":"1.00","order_id":"97ec18b7-10d3-4557-9de0-8598aad625f0","remaining_count":"0.00","ts_ms":1781159370164}
        """;

    public const string OrderList = """
        {"cursor":"","orders":[{"action":"buy","book_side":"bid","client_order_id":"2b8394e0-515e-4b89-b624-f34067756855","created_time":"2026-06-11T06:29:30.164956Z","fill_count_fp":"1.00","initial_count_fp":"1.00","last_update_time":"2026-06-11T06:29:30.164956Z","maker_fees_dollars":"0.000000","maker_fill_cost_dollars":"0.000000","no_price_dollars":"0.0100","order_id":"97ec18b7-10d3-4557-9de0-8598aad625f0","outcome_side":"yes","remaining_count_fp":"0.00","self_trade_prevention_type":"taker_at_cross","side":"yes","status":"executed","subaccount_number":0,"taker_fees_dollars":"0.017500","taker_fill_cost_dollars":"0.520000","ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","type":"limit","user_id":"f50604b8-d25a-4b0c-b3c9-ce5b48ffcad0","yes_price_dollars":"0.9900"},{"action":"buy","book_side":"bid","client_order_id":"4a75a66e-ca85-4187-93cd-aac5e01ad982","created_time":"2026-06-11T06:29:20.866753Z","fill_count_fp":"0.00","initial_count_fp":"1.00","last_update_time":"2026-06-11T06:29:24.112341Z","maker_fees_dollars":"0.000000","maker_fill_cost_dollars":"0.000000","no_price_dollars":"0.9900","order_id":"2597b999-f887-4195-8bac-c3f97a1f2021","outcome_side":"yes","remaining_count_fp":"0.00","self_trade_prevention_type":"taker_at_cross","side":"yes","status":"canceled","subaccount_number":0,"taker_fees_dollars":"0.000000","taker_fill_cost_dollars":"0.000000","ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","type":"limit","user_id":"f50604b8-d25a-4b0c-b3c9-ce5b48ffcad0","yes_price_dollars":"0.0100"}]}
        """;

    public const string StpResponse = """
        {"client_order_id":"8ae6f81d-5f9d-4bb0-8bff-076e5cb4038d","fill_count":"0.00","order_id":"07ac75d5-1cdb-4477-beee-5246146e7eaa","remaining_count":"0.00","ts_ms":1781159381287}
        """;

    public const string AmendRequest = """
        {"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","side":"bid","price":"0.0200","count":"2.00"}
        """;

    public const string AmendResponse = """
        {"order_id":"2597b999-f887-4195-8bac-c3f97a1f2021","client_order_id":"4a75a66e-ca85-4187-93cd-aac5e01ad982","fill_count":"0.00","remaining_count":"2.00","ts_ms":1781159362000}
        """;

    public const string DecreaseRequest = """
        {"reduce_to":"1.00"}
        """;

    public const string DecreaseResponse = """
        {"order_id":"2597b999-f887-4195-8bac-c3f97a1f2021","client_order_id":"4a75a66e-ca85-4187-93cd-aac5e01ad982","remaining_count":"1.00","ts_ms":1781159363000}
        """;

    public const string Fills = """
        {"cursor":"","fills":[{"action":"buy","book_side":"bid","count_fp":"1.00","created_time":"2026-06-11T06:29:30.164956Z","fee_cost":"0.017500","fill_id":"f4a42159-b500-57c6-efa2-c31d94d916c1","is_taker":true,"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","no_price_dollars":"0.4800","order_id":"97ec18b7-10d3-4557-9de0-8598aad625f0","outcome_side":"yes","side":"yes","subaccount_number":0,"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","trade_id":"f4a42159-b500-57c6-efa2-c31d94d916c1","ts":1781159370,"yes_price_dollars":"0.5200"},{"action":"buy","book_side":"bid","count_fp":"1.00","created_time":"2026-06-11T06:25:38.796711Z","fee_cost":"0.000700","fill_id":"441b3078-b4e4-4be1-36ee-6f536e5802bd","is_taker":true,"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","no_price_dollars":"0.0100","order_id":"e8051642-92f6-4296-a244-0b02e456b6a1","outcome_side":"yes","side":"yes","subaccount_number":0,"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","trade_id":"441b3078-b4e4-4be1-36ee-6f536e5802bd","ts":1781159138,"yes_price_dollars":"0.9900"},{"action":"buy","book_side":"bid","count_fp":"1.00","created_time":"2026-06-11T06:25:23.609242Z","fee_cost":"0.000700","fill_id":"83268e7f-cd64-6e51-e0f9-a7cb32f1d22d","is_taker":true,"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","no_price_dollars":"0.0100","order_id":"99ca79c3-4c96-4bfa-97c1-f924f37cc285","outcome_side":"yes","side":"yes","subaccount_number":0,"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","trade_id":"83268e7f-cd64-6e51-e0f9-a7cb32f1d22d","ts":1781159123,"yes_price_dollars":"0.9900"}]}
        """;

    public const string Positions = """
        {"cursor":"","event_positions":[{"event_exposure_dollars":"2.500000","event_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP","fees_paid_dollars":"0.018900","realized_pnl_dollars":"0.000000","total_cost_dollars":"2.500000","total_cost_shares_fp":"3.00"}],"market_positions":[{"fees_paid_dollars":"0.018900","last_updated_ts":"2026-06-11T06:29:30.165032Z","market_exposure_dollars":"2.500000","position_fp":"3.00","realized_pnl_dollars":"0.000000","resting_orders_count":0,"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","total_traded_dollars":"2.500000"}]}
        """;

    public const string Settlements = """
        {"cursor":"","settlements":[{"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","event_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP","market_result":"yes","yes_count_fp":"3.00","yes_total_cost_dollars":"2.500000","no_count_fp":"0.00","no_total_cost_dollars":"0.000000","revenue":300,"value":100,"fee_cost":"0.018900","settled_time":"2026-06-11T20:05:00Z"}]}
        """;

    public const string BatchCreateRequest = """
        {"orders":[ {"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","client_order_id":"c-1","side":"bid","count":"5.00","price":"0.4500","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross","post_only":true}, {"ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","client_order_id":"c-2","side":"ask","count":"5.00","price":"0.4600","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross","post_only":true}]}
        """;

    public const string BatchCreateResponse = """
        {"orders":[ {"order_id":"0d6a1e3c-0000-4000-8000-000000000001","client_order_id":"c-1","fill_count":"0.00","remaining_count":"5.00","ts_ms":1781159400000}, {"client_order_id":"c-2","error":{"code":"invalid_order","message":"invalid order","details":"post only cross"}}]}
        """;

    public const string BatchCancelRequest = """
        {"orders":[{"order_id":"0d6a1e3c-0000-4000-8000-000000000001"},{"order_id":"00000000-0000-0000-0000-000000000000"}]}
        """;

    public const string BatchCancelResponse = """
        {"orders":[ {"order_id":"0d6a1e3c-0000-4000-8000-000000000001","client_order_id":"c-1","reduced_by":"5.00","ts_ms":1781159401000}, {"order_id":"00000000-0000-0000-0000-000000000000","reduced_by":"0.00","error":{"code":"not_found","message":"not found"}}]}
        """;

    public const string ErrDuplicate = """
        {"error":{"code":"order_already_exists","message":"order already exists","service":"exchange"}}
        """;

    public const string ErrInsufficient = """
        {"error":{"code":"insufficient_balance","message":"insufficient balance","service":"exchange"}}
        """;

    public const string ErrPostOnly = """
        {"error":{"code":"invalid_order","message":"invalid order","details":"post only cross"}}
        """;

    public const string ErrInvalidPrice = """
        {"error":{"code":"invalid_price","message":"invalid price","service":"exchange"}}
        """;

    public const string ErrNumbers = """
        {"code":"bad_request","message":"bad request","details":"json: cannot unmarshal number into Go struct field CreateOrderV2Request.count of type string"}
        """;

    public const string ErrNotFound = """
        {"error":{"code":"not_found","message":"not found","service":"exchange"}}
        """;

    public const string ErrRateLimited = """
        {"error": "too many requests"}
        """;

    public const string ErrLegacy = """
        {"error":{"code":"deprecated_v1_order_endpoint","message":"deprecated v1 order endpoint"}}
        """;

    /// <summary>§9.7: the recorded session (subscribe, then frames), use_yes_price false, then true.</summary>
    public static readonly string[] WsSession =
    [
        """
            {"cmd":"subscribe","id":1,"params":{"channels":["orderbook_delta","trade"],"market_tickers":["KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP"],"use_yes_price":false}}
            """,
        """
            {"type":"subscribed","id":1,"msg":{"channel":"orderbook_delta","sid":1}}
            """,
        """
            {"type":"subscribed","id":1,"msg":{"channel":"trade","sid":2}}
            """,
        """
            {"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","yes_dollars_fp":[["0.4700","3.00"]],"no_dollars_fp":[["0.4800","2.00"]]}}
            """,
        """
            {"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.4700","delta_fp":"-3.00","side":"yes","ts":"2026-06-11T06:31:29.957081Z","ts_ms":1781159489957}}
            """,
        """
            {"type":"orderbook_delta","sid":1,"seq":3,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.4800","delta_fp":"-2.00","side":"no","ts":"2026-06-11T06:31:29.957466Z","ts_ms":1781159489957}}
            """,
        """
            {"type":"orderbook_delta","sid":1,"seq":4,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.4700","delta_fp":"3.00","side":"yes","ts":"2026-06-11T06:31:42.550982Z","ts_ms":1781159502550}}
            """,
        """
            {"type":"orderbook_delta","sid":1,"seq":5,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.4800","delta_fp":"1.00","side":"no","ts":"2026-06-11T06:31:42.552147Z","ts_ms":1781159502552}}
            """,
        """
            {"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","yes_dollars_fp":[["0.4700","3.00"]],"no_dollars_fp":[["0.5200","1.00"]]}}
            """,
        """
            {"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.5200","delta_fp":"-1.00","side":"no","ts":"2026-06-11T06:29:47.354803Z","ts_ms":1781159387354}}
            """,
        """
            {"type":"orderbook_delta","sid":1,"seq":3,"msg":{"market_ticker":"KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.5200","delta_fp":"2.00","side":"no","ts":"2026-06-11T06:29:47.42784Z","ts_ms":1781159387427}}
            """,
    ];

    /// <summary>§9.8: every documented command, response and channel message (and the legacy shapes, last four).</summary>
    public static readonly string[] WsChannels =
    [
        """
            {"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"CPI-22DEC-TN0.1"}}
            """,
        """
            {"id":2,"cmd":"subscribe","params":{"channels":["orderbook_delta","ticker"],"market_tickers":["FED-23DEC-T3.00","CORIVER-2024-T1030"]}}
            """,
        """
            {"id":3,"cmd":"subscribe","params":{"channels":["fill"]}}
            """,
        """
            {"id":7,"cmd":"subscribe","params":{"channels":["ticker"],"market_tickers":["FED-23DEC-T3.00"],"send_initial_snapshot":true}}
            """,
        """
            {"id":8,"cmd":"subscribe","params":{"channels":["user_orders"],"market_tickers":["FED-23DEC-T3.00","CORIVER-2024-T1030"]}}
            """,
        """
            {"id":124,"cmd":"unsubscribe","params":{"sids":[1,2]}}
            """,
        """
            {"id":124,"cmd":"update_subscription","params":{"sids":[456],"market_tickers":["NEW-MARKET-1","NEW-MARKET-2"],"action":"add_markets"}}
            """,
        """
            {"id":125,"cmd":"update_subscription","params":{"sids":[456],"market_tickers":["MARKET-TO-REMOVE-1","MARKET-TO-REMOVE-2"],"action":"delete_markets"}}
            """,
        """
            {"id":126,"cmd":"update_subscription","params":{"sid":456,"market_tickers":["NEW-MARKET-3","NEW-MARKET-4"],"action":"add_markets"}}
            """,
        """
            {"id":127,"cmd":"update_subscription","params":{"sids":[456],"market_tickers":["MARKET-1","MARKET-2"],"action":"get_snapshot"}}
            """,
        """
            {"id":3,"cmd":"list_subscriptions"}
            """,
        """
            {"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}
            """,
        """
            {"id":102,"sid":2,"seq":7,"type":"unsubscribed"}
            """,
        """
            {"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["MARKET-1","MARKET-2","MARKET-3"]}}
            """,
        """
            {"id":3,"type":"ok","msg":[{"channel":"orderbook_delta","sid":1},{"channel":"ticker","sid":2},{"channel":"fill","sid":3}]}
            """,
        """
            {"id":123,"type":"error","msg":{"code":7,"msg":"Unknown subscription ID"}}
            """,
        """
            {"id":124,"type":"error","msg":{"code":8,"msg":"Unknown channel name"}}
            """,
        """
            {"id":125,"type":"error","msg":{"code":2,"msg":"Params required"}}
            """,
        """
            {"id":126,"type":"error","msg":{"code":9,"msg":"Authentication required"}}
            """,
        """
            {"id":127,"type":"error","msg":{"code":14,"msg":"Market Ticker required"}}
            """,
        """
            {"type":"error","sid":1,"seq":4821,"msg":{"code":25,"msg":"Subscription buffer overflow"}}
            """,
        """
            {"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars_fp":[["0.5400","20.00"],["0.5600","146.00"]]}}
            """,
        """
            {"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price_dollars":"0.9600","delta_fp":"-54.00","side":"yes","ts":"2022-11-22T20:44:01Z","ts_ms":1669149841000}}
            """,
        """
            {"type":"orderbook_delta","sid":2,"seq":4,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price_dollars":"0.2300","delta_fp":"10.00","side":"yes","client_order_id":"my-order-1","subaccount":0,"ts_ms":1669149842000}}
            """,
        """
            {"type":"ticker","sid":11,"msg":{"market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","market_ticker":"FED-23DEC-T3.00","price_dollars":"0.4800","yes_bid_dollars":"0.4500","yes_ask_dollars":"0.5300","volume_fp":"33896.00","open_interest_fp":"20422.00","dollar_volume":16948,"dollar_open_interest":10211,"yes_bid_size_fp":"300.00","yes_ask_size_fp":"150.00","last_trade_size_fp":"25.00","ts":1669149841,"ts_ms":1669149841000,"time":"2022-11-22T20:44:01Z"}}
            """,
        """
            {"type":"trade","sid":11,"seq":2,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","market_ticker":"HIGHNY-22DEC23-B53.5","yes_price_dollars":"0.3600","no_price_dollars":"0.6400","count_fp":"136.00","taker_side":"no","taker_outcome_side":"no","taker_book_side":"ask","is_block_trade":false,"ts":1669149841,"ts_ms":1669149841000}}
            """,
        """
            {"type":"fill","sid":13,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","client_order_id":"my-order-1","market_ticker":"HIGHNY-22DEC23-B53.5","exchange_index":2,"is_taker":true,"side":"yes","yes_price_dollars":"0.7500","count_fp":"278.00","fee_cost":"0.010000","action":"buy","ts":1671899397,"ts_ms":1671899397000,"post_position_fp":"500.00","purchased_side":"yes","outcome_side":"yes","book_side":"bid","subaccount":3}}
            """,
        """
            {"type":"market_position","sid":14,"msg":{"user_id":"user123","market_ticker":"FED-23DEC-T3.00","position_fp":"100.00","position_cost_dollars":"50.0000","realized_pnl_dollars":"10.0000","fees_paid_dollars":"1.0000","position_fee_cost_dollars":"0.5000","volume_fp":"15.00"}}
            """,
        """
            {"type":"user_order","sid":22,"msg":{"order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","user_id":"a1b2c3d4-e5f6-7890-abcd-ef1234567890","ticker":"FED-23DEC-T3.00","exchange_index":2,"status":"resting","side":"yes","is_yes":true,"outcome_side":"yes","book_side":"bid","yes_price_dollars":"0.3500","fill_count_fp":"0.00","remaining_count_fp":"10.00","initial_count_fp":"10.00","taker_fill_cost_dollars":"0.000000","maker_fill_cost_dollars":"0.000000","taker_fees_dollars":"0.000000","maker_fees_dollars":"0.000000","client_order_id":"my-order-1","order_group_id":"og_123","self_trade_prevention_type":"taker_at_cross","created_time":"2024-12-01T10:00:00Z","created_ts_ms":1733047200000,"expiration_time":"2024-12-01T11:00:00Z","expiration_ts_ms":1733050800000,"subaccount_number":0}}
            """,
        """
            {"type":"order_group_updates","sid":21,"seq":7,"msg":{"event_type":"limit_updated","order_group_id":"og_123","contracts_limit_fp":"150.00","ts_ms":1733047200000}}
            """,
        """
            {"type":"market_lifecycle_v2","sid":13,"seq":3,"msg":{"market_ticker":"INXD-23SEP14-B4487","exchange_index":0,"open_ts":1694635200,"close_ts":1694721600,"additional_metadata":{"name":"S&P 500 daily return on Sep 14","title":"S&P 500 closes up by 0.02% or more","yes_sub_title":"S&P 500 closes up 0.02%+","no_sub_title":"S&P 500 closes up <0.02%","rules_primary":"The S&P 500 index level at 4:00 PM ET...","rules_secondary":"","can_close_early":true,"event_ticker":"INXD-23SEP14","expected_expiration_ts":1694721600,"strike_type":"greater","floor_strike":4487},"event_type":"created","price_level_structure":"linear_cent"}}
            """,
        """
            {"type":"market_lifecycle_v2","sid":13,"seq":4,"msg":{"market_ticker":"INXD-23SEP14-B4487","event_type":"price_level_structure_updated","price_level_structure":"deci_cent","price_ranges":[{"start":"0.0000","end":"1.0000","step":"0.0010"}]}}
            """,
        """
            {"type":"market_lifecycle_v2","sid":13,"seq":5,"msg":{"event_type":"metadata_updated","market_ticker":"KXBTC-25APR30-T0915-B95000","strike_type":"between","floor_strike":95000,"cap_strike":95250}}
            """,
        """
            {"type":"market_lifecycle_v2","sid":13,"seq":6,"msg":{"market_ticker":"INXD-23SEP14-B4487","event_type":"determined","result":"yes","settlement_value":"1.0000","determination_ts":1694722000}}
            """,
        """
            {"type":"market_lifecycle_v2","sid":13,"seq":7,"msg":{"market_ticker":"INXD-23SEP14-B4487","event_type":"settled","settled_ts":1694722060}}
            """,
        """
            {"type":"market_lifecycle_v2","sid":13,"seq":8,"msg":{"market_ticker":"INXD-23SEP14-B4488","event_type":"deactivated","is_deactivated":true}}
            """,
        """
            {"type":"event_lifecycle","sid":5,"seq":8,"msg":{"event_ticker":"KXQUICKSETTLE-26JAN25H2150","exchange_index":0,"title":"What will 1+1 equal on Jan 25 at 21:50?","subtitle":"Jan 25 at 21:50","collateral_return_type":"MECNET","series_ticker":"KXQUICKSETTLE"}}
            """,
        """
            {"type":"event_fee_update","sid":5,"seq":9,"msg":{"event_ticker":"KXBTCD-26MAY2018","fee_type_override":"quadratic","fee_multiplier_override":1}}
            """,
        """
            {"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00","yes":[[8,300],[22,333]],"no":[[54,20],[56,146]]}}
            """,
        """
            {"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00","price":96,"delta":-54,"side":"yes"}}
            """,
        """
            {"type":"fill","sid":13,"msg":{"trade_id":"d91bc706-ee49-470d-82d8-11418bda6fed","order_id":"ee587a1c-8b87-4dcf-b721-9f6f790619fa","market_ticker":"HIGHNY-22DEC23-B53.5","is_taker":true,"side":"yes","yes_price":75,"count":278,"action":"buy","ts":1671899397,"post_position":500}}
            """,
        """
            {"type":"market_position","sid":14,"msg":{"user_id":"user123","market_ticker":"FED-23DEC-T3.00","position":100,"position_cost":500000,"realized_pnl":100000,"fees_paid":10000,"volume":15}}
            """,
    ];
}
