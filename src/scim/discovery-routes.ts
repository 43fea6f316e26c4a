// Discovery endpoints (RFC 7644 §4): /ServiceProviderConfig, /ResourceTypes[/:id], /Schemas[/:urn].
import { Router } from "express";
import { listResponse, resourceTypes, schemaDocuments, serviceProviderConfig } from "./discovery-documents";
import { ScimError } from "./scim-error";
import { contextOf, type ScimDeps, sendScim } from "./scim-http";

export function discoveryRoutes(deps: ScimDeps): Router {
  const router = Router({ mergeParams: true });

  router.get("/ServiceProviderConfig", (_req, res) => {
    sendScim(res, 200, serviceProviderConfig(deps.config, contextOf(res).base));
  });

  router.get("/ResourceTypes", (_req, res) => {
    const types = Object.values(resourceTypes(contextOf(res).base));
    sendScim(res, 200, listResponse(types, types.length, 1));
  });

  router.get("/ResourceTypes/:id", (req, res) => {
    const types = resourceTypes(contextOf(res).base);
    const type = req.params.id === "User" || req.params.id === "Group" ? types[req.params.id] : undefined;
    if (!type) throw new ScimError(404, undefined, "Unknown resource type.");
    sendScim(res, 200, type);
  });

  router.get("/Schemas", (_req, res) => {
    const schemas = schemaDocuments(contextOf(res).base);
    sendScim(res, 200, listResponse(schemas, schemas.length, 1));
  });

  router.get("/Schemas/:urn", (req, res) => {
    const urn = req.params.urn.toLowerCase();
    const schema = schemaDocuments(contextOf(res).base).find((s) => String(s.id).toLowerCase() === urn);
    if (!schema) throw new ScimError(404, undefined, "Unknown schema.");
    sendScim(res, 200, schema);
  });

  return router;
}
