/**
 * A region: an ordered list of blocks owned by an operation (a function body, a while loop's
 * condition or body). The first block is the entry block.
 */
import { Block } from './block.js';
import type { Operation } from './operation.js';

/** A region of an operation. */
export class Region {
  readonly blocks: Block[] = [];
  constructor(readonly parentOp: Operation) {}
  /** The entry block, if any. */
  get entry(): Block | undefined {
    return this.blocks[0];
  }
  /** Appends a new empty block and returns it. */
  addBlock(): Block {
    const b = new Block();
    this.appendBlock(b);
    return b;
  }
  /** Appends an existing (detached) block. */
  appendBlock(b: Block): void {
    if (b.parent) throw new Error('block already belongs to a region');
    b.parent = this;
    this.blocks.push(b);
  }
  /** Removes a block (which must be unused by branches). */
  removeBlock(b: Block): void {
    const i = this.blocks.indexOf(b);
    if (i < 0) throw new Error('block not in region');
    this.blocks.splice(i, 1);
    b.parent = null;
  }
  /** Whether the region has no blocks. */
  get isEmpty(): boolean {
    return this.blocks.length === 0;
  }
}
