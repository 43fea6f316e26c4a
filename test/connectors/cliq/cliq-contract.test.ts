// The CLIQ driver passes the shared contract suite against the CWM-like fake over HTTPS with mutual TLS.
import { runDriverContractSuite } from "../../contract/driver-contract-suite";
import { cliqHarness } from "./cliq-harness";

runDriverContractSuite(cliqHarness());
