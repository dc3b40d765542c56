export { apigateway, getControlPlaneStats, resetControlPlaneStats, type ControlPlaneStats } from "./client";
