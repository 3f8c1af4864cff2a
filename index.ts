// The Pulumi program: one office per stack (`pulumi up --stack <office>`), from stacks/Pulumi.<office>.yaml.
import { deskphoneProgram } from "./components/program";

// Every output of the office (address, phones, numbers, cost, and the SPA3102's profile and sheet when it has one).
export = deskphoneProgram();
