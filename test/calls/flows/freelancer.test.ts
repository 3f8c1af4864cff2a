import { describeOfficeFlows } from "./officeFlows";

// Seed 001's freelancer: one US number on Flowroute, one desk phone, voicemail by email, 911.
describeOfficeFlows({
    stack: "freelancer",
    title: "Flowroute office",
    outsideCaller: "12125550147",
    dialing: [
        { dialed: "2125550147", sent: "12125550147" },
        { dialed: "+12125550147", sent: "12125550147" },
        { dialed: "12125550147", sent: "12125550147" },
    ],
    ownNumberDialed: "3235550100",
    emergency: { dialed: "911", sent: "911", via: "trunk" },
    outsideNumber: "12125550147",
    refused: [
        { dialed: "011442079460958", kind: "international" },
        { dialed: "8095550147", kind: "international" },
        { dialed: "19005550147", kind: "premium" },
    ],
});
