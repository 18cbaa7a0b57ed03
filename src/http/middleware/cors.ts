/**
 * CORS on every endpoint (v1: "CORS is enabled everywhere"). Simple requests get
 * `Access-Control-Allow-Origin: *`; a preflight is answered 204 with the requested headers allowed
 * (widgets send `ODS-Widgets-Version`, apps `ODS-API-Analytics-App`), without reaching any route.
 */
import type { RequestHandler } from 'express';

const EXPOSED = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'ods-analyze-truncated', 'X-Request-Id'].join(', ');
const SAFE_HEADER_LIST = /^[A-Za-z0-9\-_, ]{0,1000}$/;

export const cors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    const requested = req.headers['access-control-request-headers'];
    if (typeof requested === 'string' && SAFE_HEADER_LIST.test(requested)) {
      res.setHeader('Access-Control-Allow-Headers', requested);
    } else {
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    }
    res.setHeader('Access-Control-Max-Age', '86400');
    res.setHeader('Vary', 'Access-Control-Request-Headers');
    res.status(204).end();
    return;
  }
  next();
};
