// The Pulumi program: one office per stack (`pulumi up --stack <office>`), from stacks/Pulumi.<office>.yaml.
import { deskphoneProgram } from "./components/program";

const office = deskphoneProgram();

export const publicAddress = office.publicAddress;
export const phones = office.phones;
export const numbers = office.numbers;
export const monthlyCost = office.monthlyCost;
