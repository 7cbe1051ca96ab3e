extension CompiledPolicy {
    /// Evaluates a gate event (`event.isGate`): the first matching rule with allow or deny
    /// decides; directives of every matching rule up to it are returned; a runtime error
    /// in a match gives deny (allow when `fail_closed` is false) naming that rule.
    public func decide(_ event: EventKind, context: EvalContext) -> GateDecision {
        var directives: [Directive] = []
        let rules = rulesByEvent[EventRule.slot(event)]
        for rule in rules {
            let matched: Bool
            do throws(EvaluationError) {
                matched = try rule.match.evaluate(context)
            } catch {
                return GateDecision(verdict: failClosed ? .deny : .allow, rule: rule.name, directives: [], error: error)
            }
            guard matched else { continue }
            // Sharing the rule's precomputed array when it is the only contributor keeps
            // the common decision free of allocation.
            if directives.isEmpty {
                directives = rule.directives
            } else {
                directives += rule.directives
            }
            if let verdict = rule.verdict {
                return GateDecision(verdict: verdict, rule: rule.name, directives: directives)
            }
        }
        return GateDecision(verdict: defaultVerdict, rule: GateDecision.defaultRule, directives: directives)
    }

    /// Evaluates an action event (cycle, join, leave): every matching rule contributes;
    /// a runtime error in a match skips all of this evaluation's directives.
    public func evaluateActions(_ event: EventKind, context: EvalContext) -> ActionOutcome {
        var directives: [Directive] = []
        let rules = rulesByEvent[EventRule.slot(event)]
        for rule in rules {
            do throws(EvaluationError) {
                guard try rule.match.evaluate(context) else { continue }
            } catch {
                return ActionOutcome(directives: [], error: (rule.name, error))
            }
            if directives.isEmpty {
                directives = rule.directives
            } else {
                directives += rule.directives
            }
        }
        return ActionOutcome(directives: directives)
    }
}
