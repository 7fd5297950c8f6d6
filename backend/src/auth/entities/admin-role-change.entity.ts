import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A grant or revocation of the admin role, pending a second admin's approval. Owned by auth (AdminRoleChangesRepository). */
@Entity('admin_role_changes')
export class AdminRoleChangeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'role', type: 'varchar', length: 16 }) role: 'user' | 'admin';
  @Column({ name: 'status', type: 'varchar', length: 16, default: 'pending' }) status: 'pending' | 'approved' | 'rejected';
  @Column({ name: 'requested_by', type: 'uuid' }) requestedBy: string;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt: Date | null;
}
