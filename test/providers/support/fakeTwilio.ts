/**
 * A fake Twilio (REST API 2010-04-01 numbers and SIP lists, Elastic SIP Trunking v1) that keeps one
 * account's state. Every request is first checked against Twilio's OpenAPI descriptions (see
 * FakeApi); requests must name the Twilio host they were meant for in X-Forwarded-Host, which is how
 * deskphone's redirecting RequestClient reaches it.
 */
import { ApiDescription, IncomingRequest, MatchedOperation, RequestCheck } from "./openapi";
import { basicCredentials, FakeAnswer, FakeApi, sidMaker } from "./fakeServer";

export interface FakeIncomingNumber {
    sid: string;
    phoneNumber: string;
    friendlyName: string;
    trunkSid: string | null;
    /** The emergency Address registered on it (as in the console), or null. */
    emergencyAddressSid: string | null;
}

export interface FakeTrunk {
    sid: string;
    friendlyName: string;
    domainName: string | null;
    /** Secure Trunking: TLS signalling and SRTP media on every call (see `terminationCall`, `originationTargets`). */
    secure: boolean;
    credentialLists: Set<string>;
    ipAccessControlLists: Set<string>;
}

export interface FakeOriginationUrl {
    sid: string;
    trunkSid: string;
    friendlyName: string;
    sipUrl: string;
    priority: number;
    weight: number;
    enabled: boolean;
}

export interface FakeCredentialList {
    sid: string;
    friendlyName: string;
    credentials: Map<string, { sid: string; username: string; password: string }>;
}

export interface FakeIpList {
    sid: string;
    friendlyName: string;
    addresses: Map<string, { sid: string; friendlyName: string; ipAddress: string; cidrPrefixLength: number }>;
}

let descriptions: ApiDescription[] | undefined;
function twilioDescriptions(): ApiDescription[] {
    descriptions ??= [
        // "Set Emergency Address to Null" (Twilio, "Emergency Calling for SIP Interfaces API"): sent empty, as the SDK sends "".
        ApiDescription.load("Twilio REST API 2010-04-01", ["twilio/twilio_api_v2010.json"]).allowEmptyToClear(
            "POST",
            "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
            "EmergencyAddressSid",
        ),
        ApiDescription.load("Twilio Elastic SIP Trunking v1", ["twilio/twilio_trunking_v1.json"]),
    ];
    return descriptions;
}

const date2822 = "Mon, 02 Jan 2023 11:23:45 +0000";
const dateIso = "2023-01-02T11:23:45Z";

export class FakeTwilio extends FakeApi {
    private readonly sid = sidMaker();
    readonly accountSid = "AC" + "a1".repeat(16);
    readonly authToken = "fake-auth-token-0123456789abcdef";
    readonly apiKey = "SK" + "b2".repeat(16);
    readonly apiSecret = "fake-api-secret-9876543210";

    /** Numbers for sale, by country and type ("Local", "TollFree", "Mobile"). */
    readonly available = new Map<string, { phoneNumber: string; region: string; addressRequirements: string }[]>();
    readonly numbers = new Map<string, FakeIncomingNumber>();
    readonly trunks = new Map<string, FakeTrunk>();
    readonly originationUrls = new Map<string, FakeOriginationUrl>();
    readonly credentialLists = new Map<string, FakeCredentialList>();
    readonly ipLists = new Map<string, FakeIpList>();

    constructor() {
        super(twilioDescriptions(), "application/json");
    }

    /** Puts numbers up for sale; `addressRequirements` other than "none" means Twilio sells them only with an address. */
    offer(
        country: string,
        type: "Local" | "TollFree" | "Mobile",
        numbers: string[],
        region = "CA",
        addressRequirements = "none",
    ): void {
        const key = `${country}/${type}`;
        this.available.set(key, [
            ...(this.available.get(key) ?? []),
            ...numbers.map((phoneNumber) => ({ phoneNumber, region, addressRequirements })),
        ]);
    }

    /** A number already on the account (bought in the console). */
    own(phoneNumber: string, friendlyName = phoneNumber): FakeIncomingNumber {
        const number = { sid: this.sid("PN"), phoneNumber, friendlyName, trunkSid: null, emergencyAddressSid: null };
        this.numbers.set(number.sid, number);
        return number;
    }

    protected errorBody(status: number, message: string, code?: number): unknown {
        return {
            code: code ?? status * 100,
            message,
            more_info: `https://www.twilio.com/docs/errors/${code ?? status * 100}`,
            status,
        };
    }

    protected authenticate(request: IncomingRequest, matched: MatchedOperation): FakeAnswer | undefined {
        const credentials = basicCredentials(request.headers.authorization);
        const valid =
            credentials &&
            ((credentials.user === this.accountSid && credentials.password === this.authToken) ||
                (credentials.user === this.apiKey && credentials.password === this.apiSecret));
        if (!valid) return { status: 401, body: this.errorBody(401, "Authenticate", 20003) };
        if (matched.pathParams.AccountSid !== undefined && matched.pathParams.AccountSid !== this.accountSid) {
            return {
                status: 404,
                body: this.errorBody(404, `The requested resource ${request.path} was not found`, 20404),
            };
        }
        return undefined;
    }

    protected checkHeaders(request: IncomingRequest, matched: MatchedOperation): string[] {
        const host = request.headers["x-forwarded-host"];
        return host === matched.serverHost
            ? []
            : [`sent for host ${String(host)}, but ${matched.template} is served by ${matched.serverHost}`];
    }

    private notFound(request: IncomingRequest): FakeAnswer {
        return {
            status: 404,
            body: this.errorBody(404, `The requested resource ${request.path} was not found`, 20404),
        };
    }

    private invalid(message: string, code = 21200): FakeAnswer {
        return { status: 400, body: this.errorBody(400, message, code) };
    }

    /** A list page shaped by the operation's own response schema (its one array property is the list). */
    private page(matched: MatchedOperation, request: IncomingRequest, items: unknown[]): FakeAnswer {
        const schema = matched.doc.resolve(matched.operation.responses["200"].content["application/json"].schema)!;
        const key = Object.entries<Record<string, unknown>>(schema.properties).find(([, v]) => v.type === "array")![0];
        const size = Number(request.query.get("PageSize") ?? 50);
        if (schema.properties.meta) {
            const url = `https://${matched.serverHost}${request.path}?PageSize=${size}&Page=0`;
            return {
                status: 200,
                body: {
                    meta: {
                        first_page_url: url,
                        key,
                        next_page_url: null,
                        page: 0,
                        page_size: size,
                        previous_page_url: null,
                        url,
                    },
                    [key]: items,
                },
            };
        }
        const uri = `${request.path}?PageSize=${size}&Page=0`;
        return {
            status: 200,
            body: {
                end: Math.max(items.length - 1, 0),
                first_page_uri: uri,
                next_page_uri: null,
                page: 0,
                page_size: size,
                previous_page_uri: null,
                start: 0,
                uri,
                [key]: items,
            },
        };
    }

    private numberJson(n: FakeIncomingNumber) {
        return {
            account_sid: this.accountSid,
            sid: n.sid,
            phone_number: n.phoneNumber,
            friendly_name: n.friendlyName,
            trunk_sid: n.trunkSid,
            emergency_address_sid: n.emergencyAddressSid,
            emergency_address_status: n.emergencyAddressSid ? "registered" : "unregistered",
            voice_url: null,
            capabilities: { voice: true, sms: true, mms: true, fax: false },
            origin: "twilio",
            status: "in-use",
            date_created: date2822,
            date_updated: date2822,
            uri: `/2010-04-01/Accounts/${this.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
        };
    }

    private trunkJson(t: FakeTrunk) {
        const url = `https://trunking.twilio.com/v1/Trunks/${t.sid}`;
        return {
            account_sid: this.accountSid,
            sid: t.sid,
            friendly_name: t.friendlyName,
            domain_name: t.domainName,
            secure: t.secure,
            cnam_lookup_enabled: false,
            symmetric_rtp_enabled: false,
            transfer_mode: "disable-all",
            transfer_caller_id: "from-transferee",
            auth_type: [t.ipAccessControlLists.size ? "IP_ACL" : "", t.credentialLists.size ? "CREDENTIAL_LIST" : ""]
                .filter(Boolean)
                .join(","),
            auth_type_set: [],
            date_created: dateIso,
            date_updated: dateIso,
            url,
            links: {
                origination_urls: `${url}/OriginationUrls`,
                credential_lists: `${url}/CredentialLists`,
                ip_access_control_lists: `${url}/IpAccessControlLists`,
                phone_numbers: `${url}/PhoneNumbers`,
            },
        };
    }

    private originationJson(u: FakeOriginationUrl) {
        return {
            account_sid: this.accountSid,
            sid: u.sid,
            trunk_sid: u.trunkSid,
            friendly_name: u.friendlyName,
            sip_url: u.sipUrl,
            priority: u.priority,
            weight: u.weight,
            enabled: u.enabled,
            date_created: dateIso,
            date_updated: dateIso,
            url: `https://trunking.twilio.com/v1/Trunks/${u.trunkSid}/OriginationUrls/${u.sid}`,
        };
    }

    private listJson(l: { sid: string; friendlyName: string }, kind: "CredentialLists" | "IpAccessControlLists") {
        return {
            account_sid: this.accountSid,
            sid: l.sid,
            friendly_name: l.friendlyName,
            date_created: date2822,
            date_updated: date2822,
            uri: `/2010-04-01/Accounts/${this.accountSid}/SIP/${kind}/${l.sid}.json`,
        };
    }

    private trunkAssociationJson(trunkSid: string, l: { sid: string; friendlyName: string }, kind: string) {
        return {
            account_sid: this.accountSid,
            sid: l.sid,
            trunk_sid: trunkSid,
            friendly_name: l.friendlyName,
            date_created: dateIso,
            date_updated: dateIso,
            url: `https://trunking.twilio.com/v1/Trunks/${trunkSid}/${kind}/${l.sid}`,
        };
    }

    private trunkNumberJson(n: FakeIncomingNumber) {
        return {
            account_sid: this.accountSid,
            sid: n.sid,
            trunk_sid: n.trunkSid,
            phone_number: n.phoneNumber,
            friendly_name: n.friendlyName,
            date_created: dateIso,
            date_updated: dateIso,
            url: `https://trunking.twilio.com/v1/Trunks/${n.trunkSid}/PhoneNumbers/${n.sid}`,
            links: {},
        };
    }

    protected handle(matched: MatchedOperation, check: RequestCheck, request: IncomingRequest): FakeAnswer {
        const p = matched.pathParams;
        const form = (check.form ?? {}) as Record<string, string>;
        const A = "/2010-04-01/Accounts/{AccountSid}";
        const route = `${matched.method} ${matched.template}`;
        switch (route) {
            case `GET ${A}/AvailablePhoneNumbers/{CountryCode}/Local.json`:
            case `GET ${A}/AvailablePhoneNumbers/{CountryCode}/TollFree.json`:
            case `GET ${A}/AvailablePhoneNumbers/{CountryCode}/Mobile.json`: {
                const type = /\/(\w+)\.json$/.exec(matched.template)![1];
                const areaCode = request.query.get("AreaCode");
                const contains = request.query.get("Contains");
                // "This pattern can be between 2 and 16 characters long" (the Contains parameter's description).
                if (contains !== null && (contains.length < 2 || contains.length > 16))
                    return this.invalid(`Contains must be between 2 and 16 characters, not "${contains}"`, 21421);
                const pattern = contains ? new RegExp(vanityDigits(contains).replace(/\*/g, "\\d")) : undefined;
                const found = (this.available.get(`${p.CountryCode}/${type}`) ?? []).filter(
                    (n) =>
                        (!areaCode || n.phoneNumber.startsWith(`+1${areaCode}`)) &&
                        (!pattern || pattern.test(n.phoneNumber.slice(1))),
                );
                const size = Number(request.query.get("PageSize") ?? 50);
                return this.page(
                    matched,
                    request,
                    found.slice(0, size).map((n) => ({
                        friendly_name: n.phoneNumber,
                        phone_number: n.phoneNumber,
                        region: n.region,
                        iso_country: p.CountryCode,
                        address_requirements: n.addressRequirements,
                        beta: false,
                        capabilities: { voice: true, sms: true, mms: true, fax: false },
                    })),
                );
            }
            case `GET ${A}/IncomingPhoneNumbers.json`: {
                const phoneNumber = request.query.get("PhoneNumber");
                const friendlyName = request.query.get("FriendlyName");
                // "You can specify partial numbers and use '*' as a wildcard for any digit" (the PhoneNumber parameter's description).
                const partial = phoneNumber
                    ? new RegExp(phoneNumber.replace(/[^\d*]/g, "").replace(/\*/g, "\\d"))
                    : undefined;
                const found = [...this.numbers.values()].filter(
                    (n) =>
                        (!partial || partial.test(n.phoneNumber)) && (!friendlyName || n.friendlyName === friendlyName),
                );
                return this.page(
                    matched,
                    request,
                    found.map((n) => this.numberJson(n)),
                );
            }
            case `POST ${A}/IncomingPhoneNumbers.json`: {
                if (!form.PhoneNumber) return this.invalid("A 'PhoneNumber' or 'AreaCode' is required", 21451);
                let offered: { key: string; index: number } | undefined;
                for (const [key, list] of this.available) {
                    const index = list.findIndex((n) => n.phoneNumber === form.PhoneNumber);
                    if (index >= 0) offered = { key, index };
                }
                if (!offered) return this.invalid(`The phone number ${form.PhoneNumber} is not available`, 21422);
                // "To purchase these numbers, you will need to provide ... a valid business or personal address" (Twilio support, "Why do some phone numbers have an address requirement?").
                const requirement = this.available.get(offered.key)![offered.index].addressRequirements;
                if (requirement !== "none" && !form.AddressSid && !form.BundleSid)
                    return this.invalid(`Phone Number Requires an Address (${requirement})`, 21631);
                this.available.get(offered.key)!.splice(offered.index, 1);
                const number: FakeIncomingNumber = {
                    sid: this.sid("PN"),
                    phoneNumber: form.PhoneNumber,
                    friendlyName: form.FriendlyName ?? form.PhoneNumber,
                    trunkSid: form.TrunkSid ?? null,
                    emergencyAddressSid: null,
                };
                this.numbers.set(number.sid, number);
                return { status: 201, body: this.numberJson(number) };
            }
            case `GET ${A}/IncomingPhoneNumbers/{Sid}.json`: {
                const number = this.numbers.get(p.Sid);
                return number ? { status: 200, body: this.numberJson(number) } : this.notFound(request);
            }
            case `POST ${A}/IncomingPhoneNumbers/{Sid}.json`: {
                const number = this.numbers.get(p.Sid);
                if (!number) return this.notFound(request);
                if (form.TrunkSid && !this.trunks.has(form.TrunkSid))
                    return this.invalid(`TrunkSid ${form.TrunkSid} is not a trunk of this account`);
                if (form.FriendlyName !== undefined) number.friendlyName = form.FriendlyName;
                if (form.TrunkSid !== undefined) number.trunkSid = form.TrunkSid || null;
                if (form.EmergencyAddressSid !== undefined)
                    number.emergencyAddressSid = form.EmergencyAddressSid || null;
                return { status: 200, body: this.numberJson(number) };
            }
            case `DELETE ${A}/IncomingPhoneNumbers/{Sid}.json`: {
                const number = this.numbers.get(p.Sid);
                if (!number) return this.notFound(request);
                // "Before a number can be released any registered emergency address will need to be removed"
                // (Twilio support, "Cancel or release a Twilio number"; terraform-provider-twilio #149). No
                // stored source gives the error's code or wording: 21650 and this message are the fake's own.
                if (number.emergencyAddressSid)
                    return this.invalid(
                        `Phone number ${number.phoneNumber} has an emergency address (${number.emergencyAddressSid}): remove it before releasing the number`,
                        21650,
                    );
                this.numbers.delete(p.Sid);
                return { status: 204 };
            }

            case `GET ${A}/SIP/CredentialLists.json`:
                return this.page(
                    matched,
                    request,
                    [...this.credentialLists.values()].map((l) => this.listJson(l, "CredentialLists")),
                );
            case `POST ${A}/SIP/CredentialLists.json`: {
                const list: FakeCredentialList = {
                    sid: this.sid("CL"),
                    friendlyName: form.FriendlyName,
                    credentials: new Map(),
                };
                this.credentialLists.set(list.sid, list);
                return { status: 201, body: this.listJson(list, "CredentialLists") };
            }
            case `DELETE ${A}/SIP/CredentialLists/{Sid}.json`:
                for (const trunk of this.trunks.values()) trunk.credentialLists.delete(p.Sid);
                return this.credentialLists.delete(p.Sid) ? { status: 204 } : this.notFound(request);
            case `GET ${A}/SIP/CredentialLists/{CredentialListSid}/Credentials.json`: {
                const list = this.credentialLists.get(p.CredentialListSid);
                if (!list) return this.notFound(request);
                return this.page(
                    matched,
                    request,
                    [...list.credentials.values()].map((c) => this.credentialJson(list.sid, c)),
                );
            }
            case `POST ${A}/SIP/CredentialLists/{CredentialListSid}/Credentials.json`: {
                const list = this.credentialLists.get(p.CredentialListSid);
                if (!list) return this.notFound(request);
                if ([...list.credentials.values()].some((c) => c.username === form.Username))
                    return this.invalid(`Username ${form.Username} already exists in this list`);
                // The Username "can be up to 32 characters long" (the Credentials API description).
                if (form.Username.length > 32) return this.invalid("Username must be 32 characters or less", 21623);
                const weak = passwordProblem(form.Password);
                if (weak) return this.invalid(weak, 21626);
                const credential = { sid: this.sid("CR"), username: form.Username, password: form.Password };
                list.credentials.set(credential.sid, credential);
                return { status: 201, body: this.credentialJson(list.sid, credential) };
            }
            case `POST ${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`: {
                const credential = this.credentialLists.get(p.CredentialListSid)?.credentials.get(p.Sid);
                if (!credential) return this.notFound(request);
                if (form.Password !== undefined) {
                    const weak = passwordProblem(form.Password);
                    if (weak) return this.invalid(weak, 21626);
                    credential.password = form.Password;
                }
                return { status: 200, body: this.credentialJson(p.CredentialListSid, credential) };
            }
            case `DELETE ${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`:
                return this.credentialLists.get(p.CredentialListSid)?.credentials.delete(p.Sid)
                    ? { status: 204 }
                    : this.notFound(request);

            case `GET ${A}/SIP/IpAccessControlLists.json`:
                return this.page(
                    matched,
                    request,
                    [...this.ipLists.values()].map((l) => this.listJson(l, "IpAccessControlLists")),
                );
            case `POST ${A}/SIP/IpAccessControlLists.json`: {
                const list: FakeIpList = { sid: this.sid("AL"), friendlyName: form.FriendlyName, addresses: new Map() };
                this.ipLists.set(list.sid, list);
                return { status: 201, body: this.listJson(list, "IpAccessControlLists") };
            }
            case `DELETE ${A}/SIP/IpAccessControlLists/{Sid}.json`:
                for (const trunk of this.trunks.values()) trunk.ipAccessControlLists.delete(p.Sid);
                return this.ipLists.delete(p.Sid) ? { status: 204 } : this.notFound(request);
            case `GET ${A}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json`: {
                const list = this.ipLists.get(p.IpAccessControlListSid);
                if (!list) return this.notFound(request);
                return this.page(
                    matched,
                    request,
                    [...list.addresses.values()].map((a) => this.ipJson(list.sid, a)),
                );
            }
            case `POST ${A}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json`: {
                const list = this.ipLists.get(p.IpAccessControlListSid);
                if (!list) return this.notFound(request);
                if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(form.IpAddress))
                    return this.invalid(`${form.IpAddress} is not a valid IPv4 address`);
                const address = {
                    sid: this.sid("IP"),
                    friendlyName: form.FriendlyName,
                    ipAddress: form.IpAddress,
                    cidrPrefixLength: Number(form.CidrPrefixLength ?? 32),
                };
                list.addresses.set(address.sid, address);
                return { status: 201, body: this.ipJson(list.sid, address) };
            }
            case `POST ${A}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses/{Sid}.json`: {
                const address = this.ipLists.get(p.IpAccessControlListSid)?.addresses.get(p.Sid);
                if (!address) return this.notFound(request);
                if (form.IpAddress !== undefined) {
                    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(form.IpAddress))
                        return this.invalid(`${form.IpAddress} is not a valid IPv4 address`);
                    address.ipAddress = form.IpAddress;
                }
                if (form.FriendlyName !== undefined) address.friendlyName = form.FriendlyName;
                return { status: 200, body: this.ipJson(p.IpAccessControlListSid, address) };
            }

            case "GET /v1/Trunks":
                return this.page(
                    matched,
                    request,
                    [...this.trunks.values()].map((t) => this.trunkJson(t)),
                );
            case "POST /v1/Trunks": {
                if (form.DomainName && !validDomainName(form.DomainName)) return this.invalid(domainNameRule, 21245);
                if (form.DomainName && [...this.trunks.values()].some((t) => t.domainName === form.DomainName))
                    return this.invalid(`Domain name ${form.DomainName} is already in use`, 21248);
                const trunk: FakeTrunk = {
                    sid: this.sid("TK"),
                    friendlyName: form.FriendlyName ?? "",
                    domainName: form.DomainName ?? null,
                    secure: form.Secure === "true",
                    credentialLists: new Set(),
                    ipAccessControlLists: new Set(),
                };
                this.trunks.set(trunk.sid, trunk);
                return { status: 201, body: this.trunkJson(trunk) };
            }
            case "GET /v1/Trunks/{Sid}": {
                const trunk = this.trunks.get(p.Sid);
                return trunk ? { status: 200, body: this.trunkJson(trunk) } : this.notFound(request);
            }
            case "POST /v1/Trunks/{Sid}": {
                const trunk = this.trunks.get(p.Sid);
                if (!trunk) return this.notFound(request);
                if (form.DomainName && !validDomainName(form.DomainName)) return this.invalid(domainNameRule, 21245);
                if (
                    form.DomainName &&
                    [...this.trunks.values()].some((t) => t.sid !== trunk.sid && t.domainName === form.DomainName)
                )
                    return this.invalid(`Domain name ${form.DomainName} is already in use`, 21248);
                if (form.FriendlyName !== undefined) trunk.friendlyName = form.FriendlyName;
                if (form.DomainName !== undefined) trunk.domainName = form.DomainName;
                if (form.Secure !== undefined) trunk.secure = form.Secure === "true";
                return { status: 200, body: this.trunkJson(trunk) };
            }
            case "DELETE /v1/Trunks/{Sid}": {
                if (!this.trunks.delete(p.Sid)) return this.notFound(request);
                for (const [sid, url] of this.originationUrls)
                    if (url.trunkSid === p.Sid) this.originationUrls.delete(sid);
                for (const number of this.numbers.values()) if (number.trunkSid === p.Sid) number.trunkSid = null;
                return { status: 204 };
            }
            case "GET /v1/Trunks/{TrunkSid}/OriginationUrls":
                if (!this.trunks.has(p.TrunkSid)) return this.notFound(request);
                return this.page(
                    matched,
                    request,
                    [...this.originationUrls.values()]
                        .filter((u) => u.trunkSid === p.TrunkSid)
                        .map((u) => this.originationJson(u)),
                );
            case "POST /v1/Trunks/{TrunkSid}/OriginationUrls": {
                if (!this.trunks.has(p.TrunkSid)) return this.notFound(request);
                const url: FakeOriginationUrl = {
                    sid: this.sid("OU"),
                    trunkSid: p.TrunkSid,
                    friendlyName: form.FriendlyName,
                    sipUrl: form.SipUrl,
                    priority: Number(form.Priority),
                    weight: Number(form.Weight),
                    enabled: form.Enabled === "true",
                };
                if (!/^sips?:/.test(url.sipUrl)) return this.invalid("SipUrl must be a sip: URI");
                this.originationUrls.set(url.sid, url);
                return { status: 201, body: this.originationJson(url) };
            }
            case "GET /v1/Trunks/{TrunkSid}/OriginationUrls/{Sid}": {
                const url = this.originationUrls.get(p.Sid);
                return url && url.trunkSid === p.TrunkSid
                    ? { status: 200, body: this.originationJson(url) }
                    : this.notFound(request);
            }
            case "POST /v1/Trunks/{TrunkSid}/OriginationUrls/{Sid}": {
                const url = this.originationUrls.get(p.Sid);
                if (!url || url.trunkSid !== p.TrunkSid) return this.notFound(request);
                if (form.SipUrl !== undefined) url.sipUrl = form.SipUrl;
                if (form.FriendlyName !== undefined) url.friendlyName = form.FriendlyName;
                if (form.Priority !== undefined) url.priority = Number(form.Priority);
                if (form.Weight !== undefined) url.weight = Number(form.Weight);
                if (form.Enabled !== undefined) url.enabled = form.Enabled === "true";
                return { status: 200, body: this.originationJson(url) };
            }
            case "DELETE /v1/Trunks/{TrunkSid}/OriginationUrls/{Sid}":
                return this.originationUrls.get(p.Sid)?.trunkSid === p.TrunkSid && this.originationUrls.delete(p.Sid)
                    ? { status: 204 }
                    : this.notFound(request);

            case "GET /v1/Trunks/{TrunkSid}/CredentialLists":
            case "GET /v1/Trunks/{TrunkSid}/IpAccessControlLists": {
                const trunk = this.trunks.get(p.TrunkSid);
                if (!trunk) return this.notFound(request);
                const credentials = route.endsWith("CredentialLists");
                const sids = credentials ? trunk.credentialLists : trunk.ipAccessControlLists;
                const lists = credentials ? this.credentialLists : this.ipLists;
                const kind = credentials ? "CredentialLists" : "IpAccessControlLists";
                return this.page(
                    matched,
                    request,
                    [...sids].map((sid) => this.trunkAssociationJson(trunk.sid, lists.get(sid)!, kind)),
                );
            }
            case "POST /v1/Trunks/{TrunkSid}/CredentialLists":
            case "POST /v1/Trunks/{TrunkSid}/IpAccessControlLists": {
                const trunk = this.trunks.get(p.TrunkSid);
                if (!trunk) return this.notFound(request);
                const credentials = route.endsWith("CredentialLists");
                const sid = credentials ? form.CredentialListSid : form.IpAccessControlListSid;
                const list = (credentials ? this.credentialLists : this.ipLists).get(sid);
                if (!list) return this.notFound(request);
                const associated = credentials ? trunk.credentialLists : trunk.ipAccessControlLists;
                if (associated.has(sid)) return this.invalid(`${sid} is already associated with this trunk`);
                associated.add(sid);
                return {
                    status: 201,
                    body: this.trunkAssociationJson(
                        trunk.sid,
                        list,
                        credentials ? "CredentialLists" : "IpAccessControlLists",
                    ),
                };
            }
            case "DELETE /v1/Trunks/{TrunkSid}/CredentialLists/{Sid}":
                return this.trunks.get(p.TrunkSid)?.credentialLists.delete(p.Sid)
                    ? { status: 204 }
                    : this.notFound(request);
            case "DELETE /v1/Trunks/{TrunkSid}/IpAccessControlLists/{Sid}":
                return this.trunks.get(p.TrunkSid)?.ipAccessControlLists.delete(p.Sid)
                    ? { status: 204 }
                    : this.notFound(request);

            case "GET /v1/Trunks/{TrunkSid}/PhoneNumbers":
                if (!this.trunks.has(p.TrunkSid)) return this.notFound(request);
                return this.page(
                    matched,
                    request,
                    [...this.numbers.values()]
                        .filter((n) => n.trunkSid === p.TrunkSid)
                        .map((n) => this.trunkNumberJson(n)),
                );
            case "POST /v1/Trunks/{TrunkSid}/PhoneNumbers": {
                const number = this.numbers.get(form.PhoneNumberSid);
                if (!this.trunks.has(p.TrunkSid) || !number) return this.notFound(request);
                if (number.trunkSid && number.trunkSid !== p.TrunkSid)
                    return this.invalid(`${number.phoneNumber} is already associated with another trunk`);
                number.trunkSid = p.TrunkSid;
                return { status: 201, body: this.trunkNumberJson(number) };
            }
            case "GET /v1/Trunks/{TrunkSid}/PhoneNumbers/{Sid}": {
                const number = this.numbers.get(p.Sid);
                return number && number.trunkSid === p.TrunkSid
                    ? { status: 200, body: this.trunkNumberJson(number) }
                    : this.notFound(request);
            }
            case "DELETE /v1/Trunks/{TrunkSid}/PhoneNumbers/{Sid}": {
                const number = this.numbers.get(p.Sid);
                if (!number || number.trunkSid !== p.TrunkSid) return this.notFound(request);
                number.trunkSid = null;
                return { status: 204 };
            }
        }
        this.violations.push(
            `the fake does not implement ${route} (the spec has it: implement it in the fake before deskphone uses it)`,
        );
        return { status: 501, body: this.errorBody(501, `not implemented by the fake: ${route}`) };
    }

    /**
     * How Twilio answers a termination call (the office to the phone network) through the trunk, as its
     * error pages describe it. A secure trunk takes TLS only: "When secure calling is enabled, Twilio
     * cannot accept calls made using UDP or TCP. Please use TLS." (32209, twilio.com/docs/api/errors/32209),
     * and SRTP only: "This secure SIP trunk cannot accept insecure media (RTP)" (32208,
     * twilio.com/docs/api/errors/32208; answered 488 Not Acceptable Here, as a LiveKit incident report of
     * 2026-05-06 quotes it, status.livekit.io/incidents/j6q3j2t8rgsp). A trunk that is not secure refuses
     * SRTP: "the Twilio SIP Trunk is not configured to accept secure media (SRTP)" (32207,
     * twilio.com/docs/api/errors/32207). What SIP status 32207 and 32209 are answered with is not documented.
     */
    terminationCall(
        trunkSid: string,
        call: { transport: "udp" | "tcp" | "tls"; media: "rtp" | "srtp" },
    ): { accepted: true } | { accepted: false; error: 32207 | 32208 | 32209; sipStatus?: number } {
        const trunk = this.trunks.get(trunkSid);
        if (!trunk) throw new Error(`no trunk ${trunkSid}`);
        if (trunk.secure && call.transport !== "tls") return { accepted: false, error: 32209 };
        if (trunk.secure && call.media === "rtp") return { accepted: false, error: 32208, sipStatus: 488 };
        if (!trunk.secure && call.media === "srtp") return { accepted: false, error: 32207 };
        return { accepted: true };
    }

    /**
     * The origination URLs Twilio would send an incoming call to, in order. On a secure trunk only those
     * over TLS: the trunk's description says every call through it uses "TLS for signaling" (the Secure
     * field, twilio_trunking_v1.json), and Twilio's Secure Trunking guide asks for origination URIs with
     * ";transport=tls" (twilio.com/docs/sip-trunking#securetrunking; its text is in no stored copy, so
     * this is the field's description applied, not the guide quoted). The API itself takes any sip: URL.
     */
    originationTargets(trunkSid: string): string[] {
        const trunk = this.trunks.get(trunkSid);
        if (!trunk) throw new Error(`no trunk ${trunkSid}`);
        return [...this.originationUrls.values()]
            .filter((u) => u.trunkSid === trunkSid && u.enabled)
            .filter((u) => !trunk.secure || /;transport=tls(;|$)/i.test(u.sipUrl))
            .sort((a, b) => a.priority - b.priority)
            .map((u) => u.sipUrl);
    }

    private credentialJson(listSid: string, c: { sid: string; username: string }) {
        return {
            sid: c.sid,
            account_sid: this.accountSid,
            credential_list_sid: listSid,
            username: c.username,
            date_created: date2822,
            date_updated: date2822,
            uri: `/2010-04-01/Accounts/${this.accountSid}/SIP/CredentialLists/${listSid}/Credentials/${c.sid}.json`,
        };
    }

    private ipJson(
        listSid: string,
        a: { sid: string; friendlyName: string; ipAddress: string; cidrPrefixLength: number },
    ) {
        return {
            sid: a.sid,
            account_sid: this.accountSid,
            friendly_name: a.friendlyName,
            ip_address: a.ipAddress,
            cidr_prefix_length: a.cidrPrefixLength,
            ip_access_control_list_sid: listSid,
            date_created: date2822,
            date_updated: date2822,
            uri: `/2010-04-01/Accounts/${this.accountSid}/SIP/IpAccessControlLists/${listSid}/IpAddresses/${a.sid}.json`,
        };
    }
}

/** "Domain names can contain letters, digits, and `-` and must end with `pstn.twilio.com`" (the Trunks API description). */
const domainNameRule = "DomainName can contain letters, digits, and - and must end with pstn.twilio.com";
function validDomainName(domainName: string): boolean {
    return /^[A-Za-z0-9.-]*pstn\.twilio\.com$/.test(domainName);
}

/** Twilio's rule for SIP credential passwords (from the Credentials API description). */
function passwordProblem(password: string): string | undefined {
    return password.length >= 12 && /[a-z]/.test(password) && /[A-Z]/.test(password) && /\d/.test(password)
        ? undefined
        : "The password must be a minimum of 12 characters, contain at least 1 digit, and have mixed case";
}

/** Letters of a Twilio search pattern as keypad digits ("CAFE" → "2233"). */
function vanityDigits(pattern: string): string {
    const keys = ["", "", "abc", "def", "ghi", "jkl", "mno", "pqrs", "tuv", "wxyz"];
    return pattern.toLowerCase().replace(/[a-z]/g, (letter) => String(keys.findIndex((k) => k.includes(letter))));
}
