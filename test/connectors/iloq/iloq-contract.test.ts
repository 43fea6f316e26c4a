// Runs the shared driver contract suite against the iLOQ driver and its fake over real HTTP.
import { runDriverContractSuite } from "../../contract/driver-contract-suite";
import { createIloqHarness } from "./iloq-harness";

runDriverContractSuite(createIloqHarness());
