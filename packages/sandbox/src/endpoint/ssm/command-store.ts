/** Sent commands by id, oldest first (listings reverse it, newest first like AWS). */
import { ServiceError } from '../service-error.js';
import type { CommandRecord } from './command.js';

const COMMAND_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class CommandStore {
  private readonly commands = new Map<string, CommandRecord>();

  add(command: CommandRecord): void {
    this.commands.set(command.commandId, command);
  }

  get(commandId: string): CommandRecord {
    const command = COMMAND_ID.test(commandId) ? this.commands.get(commandId) : undefined;
    if (!command) throw new ServiceError('InvalidCommandId', `Command ${commandId} does not exist.`);
    return command;
  }

  newestFirst(): CommandRecord[] {
    return [...this.commands.values()].reverse();
  }

  all(): IterableIterator<CommandRecord> {
    return this.commands.values();
  }
}
