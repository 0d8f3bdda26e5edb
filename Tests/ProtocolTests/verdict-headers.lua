-- Drives giftcard-milter at the milter-protocol level (miltertest) and checks its header actions.
-- The socket comes from the environment: GIFTCARD_MILTER_SOCKET=inet:PORT@127.0.0.1

local socket = os.getenv("GIFTCARD_MILTER_SOCKET")
if socket == nil then error("GIFTCARD_MILTER_SOCKET is not set") end

local function expect(condition, what)
    if not condition then error("FAILED: " .. what) end
    print("ok - " .. what)
end

local function message(conn, headers, body, queue_id)
    expect(mt.conninfo(conn, "client.example.net", "192.0.2.10") == nil, "conninfo accepted")
    expect(mt.getreply(conn) == SMFIR_CONTINUE, "connect continues")
    mt.macro(conn, SMFIC_MAIL, "i", queue_id)
    expect(mt.mailfrom(conn, "<bounce@example.net>") == nil, "mailfrom accepted")
    expect(mt.rcptto(conn, "<alice@example.org>") == nil, "rcptto accepted")
    for _, h in ipairs(headers) do
        expect(mt.header(conn, h[1], h[2]) == nil, "header " .. h[1] .. " sent")
    end
    expect(mt.eoh(conn) == nil, "eoh sent")
    expect(mt.bodystring(conn, body) == nil, "body sent")
    expect(mt.eom(conn) == nil, "eom sent")
    expect(mt.getreply(conn) == SMFIR_CONTINUE, "eom continues")
end

-- 1. A spoofed-brand callback scam carrying a forged verdict: the forged copy goes, ours comes.
local conn = mt.connect(socket, 10, 1)
if conn == nil then error("cannot connect to " .. socket) end
message(conn, {
    {"From", "\"Amazon.com\" <orders@amazon-giftcards-support.com>"},
    {"To", "alice@example.org"},
    {"Subject", "Your Amazon.com order of Google Play gift cards"},
    {"X-GiftCard-Verdict", "genuine"},
}, "Dear Amazon customer,\r\nThank you for purchasing Google Play gift cards. Order total: $500.00.\r\n" ..
   "If you did not make this purchase, call us immediately at +1 (888) 555-0134 to cancel.\r\n", "PROTO1")
expect(mt.eom_check(conn, MT_HDRINSERT, "X-GiftCard-Verdict", "suspicious"), "verdict header inserted: suspicious")
expect(mt.eom_check(conn, MT_HDRINSERT, "X-GiftCard-Score"), "score header inserted")
expect(mt.eom_check(conn, MT_HDRINSERT, "X-GiftCard-Report"), "report header inserted")
expect(mt.eom_check(conn, MT_HDRDELETE, "X-GiftCard-Verdict"), "forged verdict header deleted")
expect(not mt.eom_check(conn, MT_HDRINSERT, "X-GiftCard-Verdict", "genuine"), "no genuine verdict added")
expect(mt.eom_check(conn, MT_BODYCHANGE), "banner placed: body replaced")
mt.disconnect(conn)

-- 2. An ordinary message: verdict none, and nothing deleted.
conn = mt.connect(socket, 10, 1)
if conn == nil then error("cannot connect to " .. socket) end
message(conn, {
    {"From", "Carol <carol@example.net>"},
    {"To", "alice@example.org"},
    {"Subject", "lunch?"},
}, "Shall we have lunch tomorrow?\r\n", "PROTO2")
expect(mt.eom_check(conn, MT_HDRINSERT, "X-GiftCard-Verdict", "none"), "verdict header inserted: none")
expect(not mt.eom_check(conn, MT_HDRDELETE), "no header deleted on a clean message")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "body not replaced")
mt.disconnect(conn)

print("miltertest: all checks passed")
