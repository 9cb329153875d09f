// Exceptions: shipments waiting for somebody to act (GET /v1/shipments?action_required=true:
// failed deliveries, failed pickups or QC, open exceptions) and shipments late against
// their estimated delivery date (GET /v1/shipments?late=true, where the API has it).
import { h, ApiProblem } from "../app.js";
import { shipmentList } from "./shipment-list.js";

export const title = "Exceptions";

export async function render(main) {
  main.append(h("h1", null, "Exceptions"),
    h("h2", null, "Action required"),
    await shipmentList("action_required=true&limit=50", "Shipments waiting for somebody to act",
      "No shipment is waiting for anybody."),
    h("h2", null, "Late"));
  try {
    main.append(await shipmentList("late=true&limit=50", "Shipments late against their estimated delivery date",
      "No shipment is late."));
  } catch (e) {
    // Before estimated delivery dates, `late` is an unknown parameter (422 at /late).
    const unknown = e instanceof ApiProblem && e.status === 422
      && (e.problem.errors || []).some((x) => x.pointer === "/late");
    if (!unknown) throw e;
    main.append(h("p", { class: "muted" }, "This gateway does not track estimated delivery dates yet."));
  }
}
