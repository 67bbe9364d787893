// Project-configuration approval as a service the dashboard calls: the human sees the guarded values
// and approves exactly those; the approval is kept where config-approval.ts keeps it and announced in
// the event log, so agents waiting on an unapproved setting hear that it now holds.

import type { Json } from '../core/vocabulary.js';
import { DomainError } from '../core/errors.js';
import { approveSettings, configApprovalStates, isGuardedSetting, type SettingState } from './config-approval.js';
import { requirePlanner, type Caller, type DomainContext } from './context.js';
import { recordEvent } from './events.js';

export class ConfigReviewService {
  constructor(
    private readonly context: DomainContext,
    private readonly dataDir: string,
  ) {}

  states(caller: Caller): Promise<SettingState[]> {
    return configApprovalStates(this.dataDir, caller.project);
  }

  /**
   * Approves the values the human was shown; a value that changed since is refused, never approved
   * unseen. Without `shown`, the values unapproved right now (what the page lists) are approved.
   */
  async approve(caller: Caller, shown?: { setting: string; value: Json }[]): Promise<{ approved: string[] }> {
    const approver = requirePlanner(caller, 'approve project configuration');
    const current = await this.states(caller);
    const wanted = shown ?? current.filter((state) => !state.approved);
    for (const entry of wanted) {
      const now = current.find((state) => state.setting === entry.setting);
      if (!isGuardedSetting(entry.setting) || !now || JSON.stringify(now.value) !== JSON.stringify(entry.value)) {
        throw new DomainError('INVALID_INPUT', `${entry.setting} is not set to that value in .lockstep/config.json now`, 'Reload the settings and approve what they show.');
      }
    }
    const approvals = wanted.map((entry) => current.find((state) => state.setting === entry.setting)!);
    await approveSettings(this.dataDir, caller.project, approvals);
    const settings = approvals.map((state) => state.setting);
    if (settings.length > 0) {
      await this.context.store.write(caller.project.id, (tx) =>
        recordEvent(tx, this.context.clock.now(), { kind: 'config_approved', actor: approver, data: { settings } }),
      );
    }
    return { approved: settings };
  }
}
