import { describeOfficeFlows } from "./officeFlows";

// Seed 000's home office in Montevideo: a Twilio number ringing the SPA3102's phone and a softphone,
// emergency calls out through the landline. Uruguayan numbers, so the North American flows become
// their Uruguayan equivalents: 8-digit national numbers and 09X mobiles reach Twilio in E.164 with
// its leading "+", 00 is the international prefix, 0900 numbers are premium.
describeOfficeFlows({
    stack: "montevideo",
    title: "Twilio office",
    outsideCaller: "+59824001234",
    dialing: [
        { dialed: "24001234", sent: "+59824001234" },
        { dialed: "+59824001234", sent: "+59824001234" },
        { dialed: "099123456", sent: "+59899123456" },
    ],
    ownNumberDialed: "29001234",
    emergency: { dialed: "911", sent: "911", via: "landline" },
    outsideNumber: "+59824001234",
    refused: [
        { dialed: "0014155550100", kind: "international" },
        { dialed: "090012345", kind: "premium" },
    ],
});
